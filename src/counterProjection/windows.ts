export const COUNTER_WINDOWS = ['minute', 'hour', 'day'] as const;
export type CounterWindow = (typeof COUNTER_WINDOWS)[number];

// Buckets are prefixes of the UTC ISO timestamp: they sort as strings in time order.
const BUCKET_LENGTH: Record<CounterWindow, number> = { minute: 16, hour: 13, day: 10 };

/** The bucket of a timestamp, e.g. hour -> "2024-01-31T12", day -> "2024-01-31". */
export const toBucket = (window: CounterWindow, timestamp: string | Date): string => {
  const iso = (typeof timestamp === 'string' ? new Date(timestamp) : timestamp).toISOString();
  return iso.slice(0, BUCKET_LENGTH[window]);
};

export const isCounterWindow = (value: unknown): value is CounterWindow =>
  typeof value === 'string' && (COUNTER_WINDOWS as readonly string[]).includes(value);
