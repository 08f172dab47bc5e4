import { describe, expect, it } from 'vitest';

import { buildEventsQuery } from '../../src/adapter/getEvents.js';
import { buildInitialEventsQuery } from '../../src/adapter/listAggregateIds.js';
import { keyConditionQuery } from '../../src/adapter/queryOptions.js';

const partition = { attribute: 'pk', value: { S: 'p' } };

describe('keyConditionQuery (unit)', () => {
  it.each([
    [undefined, undefined, '#partition = :partition', {}],
    [{ N: '2' }, undefined, '#partition = :partition AND #sort >= :from', { ':from': { N: '2' } }],
    [undefined, { N: '5' }, '#partition = :partition AND #sort <= :to', { ':to': { N: '5' } }],
    [
      { N: '2' },
      { N: '5' },
      '#partition = :partition AND #sort BETWEEN :from AND :to',
      { ':from': { N: '2' }, ':to': { N: '5' } },
    ],
  ])('from %j to %j: %s', (from, to, expression, boundValues) => {
    const query = keyConditionQuery({
      partition,
      range: { attribute: 'sk', from, to },
      reverse: undefined,
    });
    expect(query.KeyConditionExpression).toBe(expression);
    expect(query.ExpressionAttributeValues).toEqual({ ':partition': { S: 'p' }, ...boundValues });
    // DynamoDB refuses a name the expression does not use: #sort only with a bound.
    expect(query.ExpressionAttributeNames).toEqual(
      from === undefined && to === undefined
        ? { '#partition': 'pk' }
        : { '#partition': 'pk', '#sort': 'sk' },
    );
  });

  it.each([
    [undefined, true],
    [false, true],
    [true, false],
  ])('reverse %j reads forward: %j', (reverse, forward) => {
    const range = { attribute: 'sk', from: undefined, to: undefined };
    expect(keyConditionQuery({ partition, range, reverse }).ScanIndexForward).toBe(forward);
  });
});

describe('the adapter queries (unit)', () => {
  it("reads one aggregate's partition, strongly consistent, between versions", () => {
    expect(
      buildEventsQuery({
        tableName: 'events',
        eventStoreId: 'orders',
        aggregateId: 'a#1',
        options: { minVersion: 2, maxVersion: 3, reverse: true },
      }),
    ).toEqual({
      TableName: 'events',
      KeyConditionExpression: '#partition = :partition AND #sort BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#partition': 'aggregateId', '#sort': 'version' },
      ExpressionAttributeValues: {
        ':partition': { S: 'orders#a#1' },
        ':from': { N: '2' },
        ':to': { N: '3' },
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
  });

  it('lists one store from the initial-events index, between timestamps', () => {
    expect(
      buildInitialEventsQuery('events', {
        eventStoreId: 'orders',
        initialEventAfter: '2024-01-01T00:00:00.000Z',
      }),
    ).toEqual({
      TableName: 'events',
      IndexName: 'initialEvents',
      KeyConditionExpression: '#partition = :partition AND #sort >= :from',
      ExpressionAttributeNames: { '#partition': 'eventStoreId', '#sort': 'timestamp' },
      ExpressionAttributeValues: {
        ':partition': { S: 'orders' },
        ':from': { S: '2024-01-01T00:00:00.000Z' },
      },
      ScanIndexForward: true,
    });
  });
});
