import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { sequenceNumberOf } from './records.js';
import { outputIncludes, waitUntil } from './waitFor.js';

describe('test helpers', () => {
  it('sequenceNumberOf gives distinct, increasing, 21-digit sequence numbers', () => {
    const numbers = Array.from({ length: 5_000 }, (_, index) => sequenceNumberOf(index));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (let index = 1; index < numbers.length; index++)
      expect(BigInt(numbers[index] as string) > BigInt(numbers[index - 1] as string)).toBe(true);
    expect(numbers.every((n) => /^\d{21}$/.test(n))).toBe(true);
  });

  it('waitUntil counts wall time: a condition slower than the timeout fails on its first recheck', async () => {
    let checks = 0;
    const slow = async () => {
      checks += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return false;
    };
    await expect(waitUntil(slow, { what: 'never', timeoutMs: 20, intervalMs: 1 })).rejects.toThrow(
      'waited 20 ms for never',
    );
    expect(checks).toBeLessThanOrEqual(2);
    let ready = false;
    setTimeout(() => (ready = true), 5);
    await waitUntil(() => ready, { what: 'ready', intervalMs: 1 });
    expect(ready).toBe(true);
  });

  it('outputIncludes resolves with the output once it holds the text, and rejects when it ends without', async () => {
    const stream = new PassThrough();
    const seen = outputIncludes(stream, 'pushed');
    stream.write('starting\n');
    stream.write('1,000 pus');
    stream.write('hed\n');
    await expect(seen).resolves.toBe('starting\n1,000 pushed\n');
    const ended = new PassThrough();
    const never = outputIncludes(ended, 'pushed');
    ended.end('nothing\n');
    await expect(never).rejects.toThrow(/ended without "pushed"/);
  });
});
