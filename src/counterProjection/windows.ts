export const COUNTER_WINDOWS = ['minute', 'hour', 'day'] as const;
export type CounterWindow = (typeof COUNTER_WINDOWS)[number];

// Buckets are prefixes of the UTC ISO timestamp: they sort as strings in time order.
const BUCKET_LENGTH: Record<CounterWindow, number> = { minute: 16, hour: 13, day: 10 };

/** The bucket of a timestamp, e.g. hour -> "2024-01-31T12", day -> "2024-01-31". */
export const toBucket = (window: CounterWindow, timestamp: string | Date): string => {
  const iso = (typeof timestamp === 'string' ? new Date(timestamp) : timestamp).toISOString();
  return iso.slice(0, BUCKET_LENGTH[window]);
};

// The adapter's timestamps (and Date's toISOString) are this form: their bucket is a prefix.
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An event's bucket in each window, for a timestamp already checked (isIsoTimestamp): the
 * adapter's canonical form is cut, without a Date per window and event.
 */
export const bucketsOf = (windows: readonly CounterWindow[], timestamp: string): string[] => {
  const iso = CANONICAL_ISO.test(timestamp) ? timestamp : new Date(timestamp).toISOString();
  return windows.map((window) => iso.slice(0, BUCKET_LENGTH[window]));
};

const WINDOW_MS: Record<CounterWindow, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
const BUCKET_START: Record<CounterWindow, string> = {
  minute: ':00.000Z',
  hour: ':00:00.000Z',
  day: 'T00:00:00.000Z',
};
const DAY_SECONDS = 86_400;

/**
 * When a bucket with a retention of `days` expires, in epoch seconds (DynamoDB TTL's unit):
 * its end plus the retention, the same for every write to it.
 */
export const bucketExpiry = (window: CounterWindow, bucket: string, days: number): number =>
  Math.floor((Date.parse(bucket + BUCKET_START[window]) + WINDOW_MS[window]) / 1000) +
  days * DAY_SECONDS;

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
