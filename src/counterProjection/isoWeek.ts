// ISO 8601 weeks, in UTC: a week runs Monday to Sunday and belongs to the year of its
// Thursday (its week-year), so that 2021-01-03 is in 2020-W53 and 2024-12-30 in 2025-W01.

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A UTC midnight, also for years below 100 (which Date.UTC takes as 19xx). */
export const utcDate = (year: number, monthIndex: number, dayOfMonth: number): number =>
  new Date(0).setUTCFullYear(year, monthIndex, dayOfMonth);

/** Monday 0 … Sunday 6, of a UTC time. */
const weekday = (ms: number): number => (new Date(ms).getUTCDay() + 6) % 7;

/** The Monday 00:00 UTC of the ISO week 1 of a week-year: the week holding January 4. */
const firstMonday = (year: number): number => {
  const january4 = utcDate(year, 0, 4);
  return january4 - weekday(january4) * DAY_MS;
};

const pad = (value: number, length: number): string => String(value).padStart(length, '0');

/** `2024-W05`: the ISO week of a time (epoch milliseconds). */
export const isoWeekBucket = (ms: number): string => {
  const midnight = Math.floor(ms / DAY_MS) * DAY_MS;
  const thursday = midnight + (3 - weekday(midnight)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - firstMonday(year)) / WEEK_MS) + 1;
  return `${pad(year, 4)}-W${pad(week, 2)}`;
};

/**
 * The Monday 00:00 UTC that starts an ISO week bucket, epoch milliseconds; NaN unless the
 * string is a week the year has (W01 to W52, W53 in the years that have one).
 */
export const isoWeekStart = (bucket: string): number => {
  const match = /^(\d{4})-W(\d{2})$/.exec(bucket);
  if (match === null) return Number.NaN;
  const [year, week] = [Number(match[1]), Number(match[2])];
  const start = firstMonday(year) + (week - 1) * WEEK_MS;
  return week >= 1 && isoWeekBucket(start) === bucket ? start : Number.NaN;
};
