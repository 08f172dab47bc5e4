import { CounterError } from '../shared/index.js';
import { WINDOWS, type WindowSpec } from './windowTable.js';

/** The windows a counter may count: the keys of the one table of windows (windowTable.ts). */
export type CounterWindow = keyof typeof WINDOWS;
export const COUNTER_WINDOWS = Object.keys(WINDOWS) as readonly CounterWindow[];

const specOf = (window: CounterWindow): WindowSpec => WINDOWS[window];

// The adapter's timestamps (and Date's toISOString) are this form: bucketed without a Date.
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isoOf = (timestamp: string | Date): string =>
  typeof timestamp === 'string' && CANONICAL_ISO.test(timestamp)
    ? timestamp
    : (typeof timestamp === 'string' ? new Date(timestamp) : timestamp).toISOString();

/** The bucket of a timestamp, e.g. hour -> "2024-01-31T12", week -> "2024-W05". */
export const toBucket = (window: CounterWindow, timestamp: string | Date): string =>
  specOf(window).bucket(isoOf(timestamp));

/**
 * An event's bucket in each window, for a timestamp already checked (isIsoTimestamp): the
 * adapter's canonical form is parsed once per event, not once per window.
 */
export const bucketsOf = (windows: readonly CounterWindow[], timestamp: string): string[] => {
  const iso = isoOf(timestamp);
  return windows.map((window) => specOf(window).bucket(iso));
};

/** Whether a string is a bucket of the window: of its form, and one that exists (no 2024-02-30, no 2024-W53). */
export const isBucket = (window: CounterWindow, value: string): boolean => {
  const spec = specOf(window);
  if (!spec.pattern.test(value)) return false;
  const start = spec.start(value);
  return !Number.isNaN(start) && spec.bucket(new Date(start).toISOString()) === value;
};

/** The bucket after a bucket (months of any length, ISO week 53, years' ends). */
export const nextBucket = (window: CounterWindow, bucket: string): string =>
  toBucket(window, new Date(specOf(window).end(bucket)));

/** The bucket before a bucket. */
export const previousBucket = (window: CounterWindow, bucket: string): string =>
  toBucket(window, new Date(specOf(window).start(bucket) - 1));

/** `counts list`'s default start: its window's listSpan before the bucket of `to`. */
export const defaultListFrom = (window: CounterWindow, toBucketOfList: string): string => {
  let bucket = toBucketOfList;
  for (let step = 0; step < specOf(window).listSpan.buckets; step += 1)
    bucket = previousBucket(window, bucket);
  return bucket;
};

/** How `counts list`'s help says each window's default range. */
export const listSpansSaid = (): string =>
  COUNTER_WINDOWS.map((window) => `${window} ${specOf(window).listSpan.said}`).join(', ');

/**
 * The bucket a time (or a bucket already) falls in; InvalidCountQuery if it is neither.
 * A bucket of the window's form is taken as is; any other time is bucketed.
 */
export const bucketOf = (window: CounterWindow, bucket: string | Date): string => {
  if (typeof bucket === 'string' && isBucket(window, bucket)) return bucket;
  const looksLikeBucket = typeof bucket === 'string' && specOf(window).pattern.test(bucket);
  const time = typeof bucket === 'string' ? new Date(bucket) : bucket;
  if (looksLikeBucket || Number.isNaN(time.getTime())) {
    throw new CounterError('InvalidCountQuery', {
      option: 'bucket',
      value: bucket,
      expected: `a Date, an ISO timestamp or a ${window} bucket that exists, such as ${toBucket(window, new Date(0))}`,
    });
  }
  return toBucket(window, time);
};

const DAY_SECONDS = 86_400;

/**
 * When a bucket with a retention of `days` expires, in epoch seconds (DynamoDB TTL's unit):
 * its end plus the retention, the same for every write to it.
 */
export const bucketExpiry = (window: CounterWindow, bucket: string, days: number): number =>
  Math.floor(specOf(window).end(bucket) / 1000) + days * DAY_SECONDS;

export const isCounterWindow = (value: unknown): value is CounterWindow =>
  typeof value === 'string' && (COUNTER_WINDOWS as readonly string[]).includes(value);

/** A read's window: none for the all-time count; a bucket is any time inside it (now by default). */
export interface WindowOptions<WINDOW extends string = CounterWindow> {
  window?: WINDOW | undefined;
  bucket?: string | Date | undefined;
}

/** The windows the counter named NAME counts: reading another one is a type error. */
export type WindowsOf<
  COUNTERS extends { name: string; windows: readonly CounterWindow[] },
  NAME extends string,
> = Extract<COUNTERS, { name: NAME }>['windows'][number];

/**
 * What a read's `window` takes: the windows of the counter named NAME, or, for a counter
 * without any, a message naming it, so that the compiler's error says why (`Type '"hour"' is
 * not assignable to type '"counter 'placed' has no windows"'`) and not `never` or `undefined`.
 */
export type WindowToRead<
  COUNTERS extends { name: string; windows: readonly CounterWindow[] },
  NAME extends string,
> = [WindowsOf<COUNTERS, NAME>] extends [never]
  ? `counter '${NAME}' has no windows`
  : WindowsOf<COUNTERS, NAME>;

/** One count to read among many, typed per counter. */
export type CountTargetOf<COUNTERS extends { name: string; windows: readonly CounterWindow[] }> = {
  [NAME in COUNTERS['name']]: { counterName: NAME; key: string } & WindowOptions<
    WindowToRead<COUNTERS, NAME>
  >;
}[COUNTERS['name']];

/** Only the options given: undefined must not reach the key builders as a value. */
export const windowOf = ({ window, bucket }: WindowOptions<string>) => ({
  ...(window !== undefined ? { window } : {}),
  ...(bucket !== undefined ? { bucket } : {}),
});
