import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Exactly what `castore-dynamodb-counter run` calls: DescribeTable on each table it is
 * given (checked at start; the event table's also gives its stream ARN), the event table's
 * stream (DescribeStream, GetShardIterator, GetRecords, and ListStreams, which has no
 * resource), the projection's reads and transactions on the counts table, and the
 * checkpoints' GetItem, PutItem and UpdateItem; with reactions, the counts table's stream and PutItem on
 * their target. No Scan, no Delete, no read of the event table's items.
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
  // The checkpoint store's requests (CheckpointStore): reads, saves, and the conditional
  // UpdateItem that fixes where a LATEST start begins (anchorLatest).
  allow(['DescribeTable', 'GetItem', 'PutItem', 'UpdateItem'], tables.checkpointTable);
  if (tables.reactionsTable === undefined) return;
  // The reactions read the counts table's stream and push COUNT_REACHED: a conditional
  // PutItem of version 1 (pushEventReaction's one write).
  tables.countsTable.grantStreamRead(grantee);
  allow(['DescribeTable', 'PutItem'], tables.reactionsTable);
};
