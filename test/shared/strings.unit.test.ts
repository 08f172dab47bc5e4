import { describe, expect, it } from 'vitest';

import { countOf } from '../../src/shared/index.js';

describe('countOf', () => {
  it('puts the noun in the plural unless the count is 1', () => {
    expect([0, 1, 2].map((n) => countOf(n, 'record'))).toEqual([
      '0 records',
      '1 record',
      '2 records',
    ]);
    expect(countOf(3, 'batch', 'batches')).toBe('3 batches');
  });
});
