import { describe, expect, it } from 'vitest';

import * as core from '../../src/index.js';
import { errorMessages } from '../../src/shared/errorMessages.js';

const { CounterError, isCounterError } = core;

describe('the one error type (unit)', () => {
  it('has a message for every code, each saying what to do, and no code twice', () => {
    const codes = Object.keys(errorMessages);
    expect(codes.length).toBeGreaterThan(20);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('the guard recognises a code whichever copy of the package made the error, and nothing else', () => {
    for (const code of Object.keys(errorMessages)) {
      const fromAnotherCopy = Object.assign(new Error('x'), { code });
      expect(isCounterError(fromAnotherCopy), code).toBe(true);
      expect(isCounterError(fromAnotherCopy, code as core.CounterErrorCode), code).toBe(true);
      expect(isCounterError(Object.assign(new Error('x'), { code: `${code}Else` })), code).toBe(
        false,
      );
      expect(isCounterError({ code }), `${code} on a plain object`).toBe(false);
    }
    const error = new CounterError('InvalidOption', { option: 'x', value: 0, expected: '> 0' });
    expect(isCounterError(error, 'InvalidOption')).toBe(true);
    expect(isCounterError(error, 'InvalidEvent')).toBe(false);
  });

  it('keeps the fields it is about at the top level, the cause as the standard cause, and names itself by its code', () => {
    const cause = new Error('throttled');
    const error = new CounterError('UndeliverableRecords', {
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
    expect(error).toBeInstanceOf(Error);
    expect(
      new CounterError('InvalidStreamRecord', {
        sequenceNumber: '7',
        field: 'type',
        value: 3,
        expected: 'a string',
      }),
    ).toMatchObject({ sequenceNumber: '7', field: 'type', value: 3, expected: 'a string' });
    // A field its thrower leaves out has its default.
    expect(
      new CounterError('InvalidEventGroup', { reason: 'EmptyGroup', explanation: 'x' }),
    ).toMatchObject({ eventIndexes: [] });
  });

  it("UndeliverableRecords names 3 of a batch's records and how many more, and the last attempt's cause; the field keeps them all", () => {
    const sequenceNumbers = Array.from({ length: 500 }, (_, i) => String(1000 + i));
    const cause = Object.assign(new Error('Query condition missed key schema element'), {
      name: 'ValidationException',
    });
    const error = new CounterError('UndeliverableRecords', {
      shardId: 'shard-1',
      sequenceNumbers,
      cause,
    });
    expect(error.message).toMatch(
      /^Records 1000, 1001, 1002 and 497 more of shard shard-1 still fail after every retry \(the last attempt: ValidationException: Query condition missed key schema element\), and no onFailure/,
    );
    expect(error).toMatchObject({ sequenceNumbers });
    expect(
      new CounterError('UndeliverableRecords', { shardId: 's', sequenceNumbers: ['7'] }).message,
    ).toMatch(/^Record 7 of shard s still fails after every retry, and no onFailure/);
  });
});
