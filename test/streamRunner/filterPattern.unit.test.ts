import { describe, expect, it } from 'vitest';

import { reactionsStreamFilter } from '../../src/entries/reactions.js';
import { countingStreamFilter } from '../../src/index.js';
import { checkFilterPattern, matchesFilterPattern } from '../../src/streamRunner/filterPattern.js';

const total = (eventName: string, sk: string) => ({
  eventName,
  dynamodb: { Keys: { pk: { S: 'T#orders#FR' }, sk: { S: sk } } },
});

describe("a mapping's filter pattern (exact values, as Lambda's FilterCriteria)", () => {
  it.each([
    [countingStreamFilter, { eventName: 'INSERT' }, true],
    [countingStreamFilter, { eventName: 'MODIFY' }, false],
    [countingStreamFilter, {}, false],
    [reactionsStreamFilter, total('MODIFY', 'total'), true],
    [reactionsStreamFilter, total('INSERT', 'total'), true],
    [reactionsStreamFilter, total('REMOVE', 'total'), false],
    [reactionsStreamFilter, total('MODIFY', '2026-01-01T10'), false],
    [reactionsStreamFilter, { eventName: 'MODIFY' }, false],
  ])('%j on %j: %s', (pattern, record, expected) => {
    expect(matchesFilterPattern(pattern, record)).toBe(expected);
  });

  it.each([
    ['a prefix rule', { eventName: [{ prefix: 'IN' }] }],
    ['an empty list', { eventName: [] }],
    ['a bare value', { eventName: 'INSERT' }],
    ['an empty pattern', {}],
  ])('refuses %s with InvalidOption instead of ignoring it', (_, pattern) => {
    expect(() => checkFilterPattern('filter', pattern)).toThrow(
      expect.objectContaining({ code: 'InvalidOption', value: expect.anything() }),
    );
  });
});
