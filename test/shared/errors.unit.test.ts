import { describe, expect, it } from 'vitest';

import * as core from '../../src/index.js';
import * as streamRunner from '../../src/streamRunner/index.js';

// Both entry points: the package's root and `castore-dynamodb-counter/stream-runner`.
const library: Record<string, unknown> = { ...core, ...streamRunner };

/** Every public error code, found by the naming convention users rely on: `xErrorCode`. */
const codes = Object.entries(library).flatMap(([name, value]) =>
  name.endsWith('ErrorCode') && typeof value === 'string' ? [[name, value] as const] : [],
);

describe('public errors (unit)', () => {
  it('exports a code for each error class, and a guard for each code', () => {
    expect(codes.length).toBeGreaterThan(15);
    for (const [name] of codes) {
      const base = name.replace(/ErrorCode$/, '');
      const pascal = base[0]!.toUpperCase() + base.slice(1);
      const guard = library[`is${pascal}Error`];
      expect(typeof guard, `is${pascal}Error`).toBe('function');
    }
  });

  it('guards recognise the code whichever copy of the package made the error, and nothing else', () => {
    for (const [name, code] of codes) {
      const pascal = name[0]!.toUpperCase() + name.slice(1).replace(/ErrorCode$/, '');
      const guard = library[`is${pascal}Error`] as (error: unknown) => boolean;
      const fromAnotherCopy = Object.assign(new Error('x'), { code });
      expect(guard(fromAnotherCopy), name).toBe(true);
      expect(guard(Object.assign(new Error('x'), { code: `${code}Else` })), name).toBe(false);
      expect(guard({ code }), `${name} on a plain object`).toBe(false);
    }
  });

  it('keeps the fields it is about at the top level, and the cause as the standard cause', () => {
    const cause = new Error('throttled');
    const error = new streamRunner.UndeliverableRecordsError({
      shardId: 'shard-1',
      sequenceNumbers: ['1', '2'],
      cause,
    });
    expect(error).toMatchObject({
      code: 'UndeliverableRecords',
      name: 'UndeliverableRecordsError',
      shardId: 'shard-1',
      sequenceNumbers: ['1', '2'],
      cause,
    });
    expect(streamRunner.isUndeliverableRecordsError(error)).toBe(true);
    expect(
      new core.InvalidStreamRecordError({
        sequenceNumber: '7',
        field: 'type',
        value: 3,
        expected: 'a string',
      }),
    ).toMatchObject({ sequenceNumber: '7', field: 'type', value: 3, expected: 'a string' });
  });
});
