import { describe, expect, it } from 'vitest';

import { sequenceNumberOf } from './records.js';

describe('test helpers', () => {
  it('sequenceNumberOf gives distinct, increasing, 21-digit sequence numbers', () => {
    const numbers = Array.from({ length: 5_000 }, (_, index) => sequenceNumberOf(index));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (let index = 1; index < numbers.length; index++)
      expect(BigInt(numbers[index] as string) > BigInt(numbers[index - 1] as string)).toBe(true);
    expect(numbers.every((n) => /^\d{21}$/.test(n))).toBe(true);
  });
});
