import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { asideItem, type NotExact, notExactItem } from './countsItems/index.js';
import { queryPartition } from './readPages.js';

/** What needs an operator in a counts table: counters that lost exactness, records set aside. */
export interface CountsHealth {
  /** shardWatermark counters marked not exact: every read of them refuses. */
  notExact: (NotExact & { counterName: string })[];
  /** Records set aside by shardWatermark batches: waiting for countSetAside, or counted. */
  setAside: { waiting: number; counted: number };
}

/** Reads the marks and the records set aside: two Queries, whatever the counters. */
export const readCountsHealth = async (context: {
  dynamoDBClient: DynamoDBClient;
  tableName: string;
}): Promise<CountsHealth> => {
  const [marks, aside] = await Promise.all([
    queryPartition(context, { pk: notExactItem.partition }),
    queryPartition(context, { pk: asideItem.partition }),
  ]);
  const counted = aside.filter((item) => asideItem.decodeRecord(item)?.counted === true).length;
  return {
    notExact: marks.flatMap((item) => {
      const notExact = notExactItem.decode(item);
      const counterName = item.sk?.S;
      return notExact === undefined || typeof counterName !== 'string'
        ? []
        : [{ counterName, ...notExact }];
    }),
    setAside: { waiting: aside.length - counted, counted },
  };
};
