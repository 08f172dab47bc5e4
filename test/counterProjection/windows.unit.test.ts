import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  bucketExpiry,
  bucketOf,
  COUNTER_WINDOWS,
  type CounterWindow,
  defaultListFrom,
  isBucket,
  nextBucket,
  previousBucket,
  toBucket,
} from '../../src/counterProjection/windows.js';
import { WINDOWS } from '../../src/counterProjection/windowTable.js';
import { isCounterError } from '../../src/shared/index.js';

const startOf = (window: CounterWindow, bucket: string) => WINDOWS[window].start(bucket);
const endOf = (window: CounterWindow, bucket: string) => WINDOWS[window].end(bucket);

describe('bucket formats', () => {
  it('keeps the minute, hour and day buckets as stored before (prefixes of the UTC ISO time)', () => {
    const time = '2024-01-31T12:05:59.999Z';
    expect(toBucket('minute', time)).toBe('2024-01-31T12:05');
    expect(toBucket('hour', time)).toBe('2024-01-31T12');
    expect(toBucket('day', time)).toBe('2024-01-31');
  });

  it('puts a time in its ISO week (from Monday, in the ISO week-year) and its calendar month, in UTC', () => {
    const weeks: [string, string][] = [
      ['2020-12-31T12:00:00.000Z', '2020-W53'],
      ['2021-01-03T23:59:59.999Z', '2020-W53'],
      ['2021-01-04T00:00:00.000Z', '2021-W01'],
      ['2024-12-30T00:00:00.000Z', '2025-W01'],
      ['2024-01-29T00:00:00.000Z', '2024-W05'],
      ['2024-01-28T23:59:59.999Z', '2024-W04'],
      ['2025-12-31T00:00:00.000Z', '2026-W01'],
      ['2027-01-01T01:00:00.000+02:00', '2026-W53'], // 2026-12-31T23:00Z: UTC decides
    ];
    for (const [time, week] of weeks) expect(toBucket('week', time), time).toBe(week);
    expect(toBucket('month', '2024-02-29T23:59:59.999Z')).toBe('2024-02');
    expect(toBucket('month', new Date('2025-01-01T01:00:00+02:00'))).toBe('2024-12');
  });

  it('steps weeks across week 53 and years, and months across years and leap Februaries', () => {
    expect(nextBucket('week', '2020-W52')).toBe('2020-W53');
    expect(nextBucket('week', '2020-W53')).toBe('2021-W01');
    expect(nextBucket('week', '2024-W52')).toBe('2025-W01');
    expect(previousBucket('week', '2021-W01')).toBe('2020-W53');
    expect(nextBucket('month', '2023-12')).toBe('2024-01');
    expect(previousBucket('month', '2024-01')).toBe('2023-12');
    expect(endOf('month', '2024-02') - startOf('month', '2024-02')).toBe(29 * 86_400_000);
    expect(endOf('month', '2023-02') - startOf('month', '2023-02')).toBe(28 * 86_400_000);
    expect(endOf('month', '2000-02') - startOf('month', '2000-02')).toBe(29 * 86_400_000);
    expect(endOf('month', '1900-02') - startOf('month', '1900-02')).toBe(28 * 86_400_000);
  });

  it('expires a week or month bucket its retention after its end, as the other windows', () => {
    expect(bucketExpiry('week', '2024-W05', 7)).toBe(Date.parse('2024-02-12T00:00:00Z') / 1000);
    expect(bucketExpiry('week', '2020-W53', 1)).toBe(Date.parse('2021-01-05T00:00:00Z') / 1000);
    expect(bucketExpiry('month', '2024-02', 1)).toBe(Date.parse('2024-03-02T00:00:00Z') / 1000);
    expect(bucketExpiry('month', '2024-12', 31)).toBe(Date.parse('2025-02-01T00:00:00Z') / 1000);
  });

  it("takes a read's bucket as any time inside it or the bucket itself, and refuses one that does not exist", () => {
    expect(bucketOf('week', '2020-W53')).toBe('2020-W53');
    expect(bucketOf('week', '2021-01-03')).toBe('2020-W53');
    expect(bucketOf('week', new Date('2024-12-31T10:00:00Z'))).toBe('2025-W01');
    expect(bucketOf('month', '2024-02')).toBe('2024-02');
    expect(bucketOf('month', '2024-02-29T12:00:00Z')).toBe('2024-02');
    const refusals: [CounterWindow, string][] = [
      ['week', '2021-W53'], // 2021 has 52 weeks
      ['week', '2024-W00'],
      ['week', '2024-W5'],
      ['month', '2024-13'],
      ['month', '2024-00'],
      ['day', '2024-02-30'], // was taken as a bucket no write can reach
      ['month', 'last month'],
    ];
    for (const [window, bucket] of refusals) {
      let refused: unknown;
      try {
        bucketOf(window, bucket);
      } catch (error) {
        refused = error;
      }
      expect(isCounterError(refused, 'InvalidCountQuery'), `${window} ${bucket}`).toBe(true);
      expect((refused as Error).message).toContain(bucket);
      expect((refused as Error).message).toMatch(new RegExp(`a ${window} bucket that exists`));
    }
  });

  it("starts counts list's default range 24 h, 12 weeks or 12 months before --to", () => {
    expect(defaultListFrom('minute', '2024-01-01T00:10')).toBe('2023-12-31T00:10');
    expect(defaultListFrom('hour', '2024-01-01T00')).toBe('2023-12-31T00');
    expect(defaultListFrom('day', '2024-01-01')).toBe('2023-12-31');
    expect(defaultListFrom('week', '2021-W05')).toBe('2020-W46');
    expect(defaultListFrom('month', '2024-03')).toBe('2023-03');
  });
});

// Times from 1900 to 2200, ranges short enough for each window to be stepped through.
const time = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
const RANGE_MS: Record<CounterWindow, number> = {
  minute: 3 * 86_400_000,
  hour: 90 * 86_400_000,
  day: 4 * 366 * 86_400_000,
  week: 12 * 366 * 86_400_000,
  month: 60 * 366 * 86_400_000,
};

describe.each(COUNTER_WINDOWS)('the %s window (property)', (window) => {
  it('puts every time in its bucket: start <= time < end, and the bucket is one that exists', () => {
    fc.assert(
      fc.property(time, (ms) => {
        const bucket = toBucket(window, new Date(ms));
        expect(isBucket(window, bucket)).toBe(true);
        expect(startOf(window, bucket)).toBeLessThanOrEqual(ms);
        expect(endOf(window, bucket)).toBeGreaterThan(ms);
      }),
    );
  });

  it('steps from the bucket of one time to the bucket of a later one with no gap, no repeat, in sort order', () => {
    const range = time.chain((from) =>
      fc.tuple(fc.constant(from), fc.integer({ min: from, max: from + RANGE_MS[window] })),
    );
    fc.assert(
      fc.property(range, ([from, to]) => {
        const last = toBucket(window, new Date(to));
        let bucket = toBucket(window, new Date(from));
        while (bucket < last) {
          const next = nextBucket(window, bucket);
          expect(startOf(window, next)).toBe(endOf(window, bucket)); // no gap, no overlap
          expect(next > bucket).toBe(true); // a Query between two buckets reads them in order
          expect(previousBucket(window, next)).toBe(bucket);
          bucket = next;
        }
        expect(bucket).toBe(last); // reached, not stepped over
      }),
      { numRuns: 50 },
    );
  });
});
