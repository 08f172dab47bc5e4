/**
 * Whether a string is well-formed UTF-16. A lone surrogate has no UTF-8 form: DynamoDB
 * stores it as U+FFFD, so `x\uD800` and `x\uD801` would become one key and count as one.
 */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** "1 record", "0 records", "2 batches": a count with its noun, plural unless 1 (`plural` for a noun not made with -s). */
export const countOf = (count: number, noun: string, plural = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : plural}`;
