import { isoWeekBucket, isoWeekStart, utcDate } from './isoWeek.js';

/**
 * What a window is: everything else about windows (the type `CounterWindow`, the list
 * `COUNTER_WINDOWS`, the checks of a counter's windows and of a read's bucket, the CLI's
 * `--window` choices, retention, range reads) derives from the table below, so that adding
 * a window is adding one entry.
 *
 * Invariants every entry keeps (test/counterProjection/windows.unit.test.ts checks them):
 * a bucket's strings of one window sort in time order (range reads are one Query between
 * two sort keys); `bucket(start(b))` is `b`; `end(b)` is the start of the next bucket. The
 * strings are stored as sort keys: an entry's format never changes once released.
 */
export interface WindowSpec {
  /** The exact form of a bucket, e.g. `2024-01-31T12`: a read's bucket of this form is taken as one. */
  readonly pattern: RegExp;
  /** The bucket of a time, given as the canonical UTC ISO form (`Date#toISOString`). */
  readonly bucket: (iso: string) => string;
  /** A bucket's start, epoch milliseconds (NaN for a string that is not one). */
  readonly start: (bucket: string) => number;
  /** A bucket's end (the start of the next one), epoch milliseconds. */
  readonly end: (bucket: string) => number;
  /** `counts list`'s default range, in buckets before `--to`'s, and how the help says it. */
  readonly listSpan: { readonly buckets: number; readonly said: string };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DAY = '24 h';

/** A window whose buckets are a prefix of the ISO timestamp, of a fixed length in time. */
const isoPrefix = (
  pattern: RegExp,
  length: number,
  startSuffix: string,
  ms: number,
  listSpan: WindowSpec['listSpan'],
): WindowSpec => ({
  pattern,
  bucket: (iso) => iso.slice(0, length),
  start: (bucket) => Date.parse(bucket + startSuffix),
  end: (bucket) => Date.parse(bucket + startSuffix) + ms,
  listSpan,
});

const monthStart = (bucket: string): number => Date.parse(`${bucket}-01T00:00:00.000Z`);

export const WINDOWS = {
  /** `2024-01-31T12:05` */
  minute: isoPrefix(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 16, ':00.000Z', MINUTE_MS, {
    buckets: 1440,
    said: DAY,
  }),
  /** `2024-01-31T12` */
  hour: isoPrefix(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 13, ':00:00.000Z', HOUR_MS, {
    buckets: 24,
    said: DAY,
  }),
  /** `2024-01-31` */
  day: isoPrefix(/^\d{4}-\d{2}-\d{2}$/, 10, 'T00:00:00.000Z', DAY_MS, { buckets: 1, said: DAY }),
  /** `2024-W05`: the ISO week (from Monday) and its ISO week-year, which may not be the date's year. */
  week: {
    pattern: /^\d{4}-W\d{2}$/,
    bucket: (iso) => isoWeekBucket(Date.parse(iso)),
    start: isoWeekStart,
    end: (bucket) => isoWeekStart(bucket) + 7 * DAY_MS,
    listSpan: { buckets: 12, said: '12 weeks' },
  },
  /** `2024-01`: the calendar month. */
  month: {
    pattern: /^\d{4}-\d{2}$/,
    bucket: (iso) => iso.slice(0, 7),
    start: monthStart,
    end: (bucket) => {
      const start = new Date(monthStart(bucket));
      return utcDate(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    },
    listSpan: { buckets: 12, said: '12 months' },
  },
} as const satisfies Record<string, WindowSpec>;
