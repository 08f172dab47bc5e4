import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventDetail } from '@castore/core';
import { describe, expect, it } from 'vitest';

import { buildGroupTransaction } from '../../src/adapter/groupTransaction.js';
import type { ParsedGroupEvent } from '../../src/adapter/parseEventGroup.js';

const client = {} as DynamoDBClient; // never called: building is pure
const parsed = (
  aggregateId: string,
  version: number,
  requireContiguousVersions = true,
): ParsedGroupEvent => ({
  dynamoDBClient: client,
  tableName: 'events',
  requireContiguousVersions,
  eventStoreId: 'orders',
  event: { aggregateId, version, type: 'T', timestamp: '2024-01-01T00:00:00.000Z' } as EventDetail,
});
const shape = (events: ParsedGroupEvent[], force = false) => {
  const { items, actions } = buildGroupTransaction(events, { force });
  return items.map((item, index) => {
    const check = item.ConditionCheck;
    return check === undefined
      ? [actions[index]?.kind, actions[index]?.eventIndex, item.Put?.ConditionExpression ?? 'none']
      : [
          actions[index]?.kind,
          actions[index]?.eventIndex,
          check.Key?.aggregateId?.S,
          check.Key?.version?.N,
        ];
  });
};

describe('buildGroupTransaction (unit)', () => {
  it('puts each event, and checks the previous version of those whose adapter asks for it', () => {
    expect(shape([parsed('a', 1), parsed('b', 4), parsed('c', 7, false)])).toEqual([
      ['put', 0, 'attribute_not_exists(#version)'],
      ['put', 1, 'attribute_not_exists(#version)'],
      ['put', 2, 'attribute_not_exists(#version)'],
      ['previousVersionCheck', 1, 'orders#b', '3'],
    ]);
  });

  it('needs no check for a previous version written by the same group', () => {
    expect(shape([parsed('a', 3), parsed('a', 4), parsed('b', 1), parsed('b', 2)])).toEqual([
      ['put', 0, 'attribute_not_exists(#version)'],
      ['put', 1, 'attribute_not_exists(#version)'],
      ['put', 2, 'attribute_not_exists(#version)'],
      ['put', 3, 'attribute_not_exists(#version)'],
      ['previousVersionCheck', 0, 'orders#a', '2'],
    ]);
  });

  it('keeps the check under force, which only drops the condition on the event itself', () => {
    expect(shape([parsed('a', 2)], true)).toEqual([
      ['put', 0, 'none'],
      ['previousVersionCheck', 0, 'orders#a', '1'],
    ]);
  });

  it('counts the checks against the 100 actions of a transaction', () => {
    const fifty = Array.from({ length: 50 }, (_, index) => parsed(`x${index}`, 2));
    expect(buildGroupTransaction(fifty, { force: false }).items).toHaveLength(100);
    expect(() => buildGroupTransaction([...fifty, parsed('y', 2)], { force: false })).toThrow(
      expect.objectContaining({
        code: 'InvalidEventGroup',
        reason: 'TooManyEvents',
        message: expect.stringContaining('51 events and 51 previous-version checks') as unknown,
      }),
    );
  });
});
