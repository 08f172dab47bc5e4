import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * Exactly what `castore-dynamodb-counter run` calls: DescribeTable on each table it is
 * given (checked at start; the event table's also gives its stream ARN), the event table's
 * stream (DescribeStream, GetShardIterator, GetRecords, and ListStreams, which has no
 * resource), the projection's reads and transactions on the counts table, and the
 * checkpoints' GetItem and PutItem. No Scan, no Delete, no read of the event table's items.
 */
export const grantRunner = (
  grantee: IGrantable,
  tables: { eventTable: ITable; countsTable: ITable; checkpointTable: ITable },
): void => {
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
  allow(['DescribeTable', 'GetItem', 'PutItem'], tables.checkpointTable);
};
