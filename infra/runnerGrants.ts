import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

import { grantTableKey } from './tableKeys.js';

/**
 * Exactly what `castore-dynamodb-counter run` calls: DescribeTable on each table it is
 * given (checked at start; the event table's also gives its stream ARN), the event table's
 * stream (DescribeStream, GetShardIterator, GetRecords, and ListStreams, which has no
 * resource), the projection's reads and transactions on the counts table, and the
 * checkpoint store's GetItem, Query, PutItem and UpdateItem; with reactions, the counts table's
 * stream and PutItem on their target. No Scan, no Delete, no read of the event table's
 * items. A table under a customer managed KMS key: kms:Decrypt on its key for its items
 * (grantTableKey); CDK's stream read grants the stream's.
 */
export const grantRunner = (
  task: TaskDefinition,
  tables: {
    eventTable: ITable;
    countsTable: ITable;
    checkpointTable: ITable;
    reactionsTable?: ITable | undefined;
  },
): void => {
  const grantee = task.taskRole;
  // cdk-nag finding that is the design, with its reason (checked by the tests).
  Validations.of(task).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams cannot be scoped to a resource (granted with the stream read); every other action is scoped to the stream or a table.',
  });
  const allow = (actions: string[], table: ITable) =>
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
      }),
    );
  tables.eventTable.grantStreamRead(grantee);
  allow(['DescribeTable'], tables.eventTable);
  allow(
    [
      'DescribeTable',
      'GetItem',
      'BatchGetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'ConditionCheckItem',
    ],
    tables.countsTable,
  );
  grantTableKey(grantee, tables.countsTable);
  // The checkpoint store's requests (src/checkpoints): reads, the Query that lists a
  // consumer's checkpoints at each shard discovery, saves, and the conditional UpdateItems
  // (claims, untold gaps, where a LATEST start begins). A claim that sets records aside is a
  // transaction: IAM authorizes its actions one by one (UpdateItem here, PutItem on counts).
  allow(['DescribeTable', 'GetItem', 'Query', 'PutItem', 'UpdateItem'], tables.checkpointTable);
  grantTableKey(grantee, tables.checkpointTable);
  if (tables.reactionsTable === undefined) return;
  // The reactions read the counts table's stream and push COUNT_REACHED: a conditional
  // PutItem of version 1 (pushEventReaction's one write).
  tables.countsTable.grantStreamRead(grantee);
  allow(['DescribeTable', 'PutItem'], tables.reactionsTable);
  grantTableKey(grantee, tables.reactionsTable);
};
