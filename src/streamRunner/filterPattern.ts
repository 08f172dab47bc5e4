import { CounterError } from '../shared/index.js';
/**
 * A Lambda event filter pattern (the `Pattern` of an event source mapping's FilterCriteria,
 * as CDK's `FilterCriteria.filter` takes it), in the subset of exact values: each leaf is
 * an array of the values it accepts, e.g. `{ eventName: ['INSERT'] }`. The runner applies
 * it as Lambda does, and a replay applies it to tell the records of a dead-lettered batch
 * from the records of the same stretch of the shard that the mapping never delivered.
 */
export interface StreamFilterPattern {
  readonly [field: string]: readonly (string | number)[] | StreamFilterPattern;
}

/** Checks a pattern once, before any record is read: a rule this subset lacks is refused, not ignored. */
export const checkFilterPattern = (option: string, pattern: unknown): StreamFilterPattern => {
  const check = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number'))
        return;
    } else if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      for (const [field, inner] of Object.entries(value)) check(inner, `${path}.${field}`);
      return;
    }
    throw new CounterError('InvalidOption', {
      option: path,
      value,
      expected:
        'an object of fields whose leaves are arrays of accepted strings or numbers (the exact-value rules of a Lambda filter pattern)',
    });
  };
  check(pattern, option);
  return pattern as StreamFilterPattern;
};

/** Whether a record (Lambda's or the Streams API's shape) matches the pattern: every field, one of its values. */
export const matchesFilterPattern = (pattern: StreamFilterPattern, value: unknown): boolean =>
  Object.entries(pattern).every(([field, rule]) => {
    const inner = (value as Record<string, unknown> | null | undefined)?.[field];
    if (Array.isArray(rule)) return (rule as unknown[]).includes(inner);
    return matchesFilterPattern(rule as StreamFilterPattern, inner);
  });
