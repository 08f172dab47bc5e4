import { fileURLToPath } from 'node:url';

import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';

import {
  CounterProjectionPipeline,
  type CounterProjectionPipelineProps,
} from '../../infra/index.js';
import { asITable } from '../../infra/tables.js';
import { UNKNOWN_EVENT_STORES_ENV } from '../../src/counterProjection/index.js';
import { useCdkApps } from './cdkApps.js';
import { grantsOf } from './grantsOf.js';

const entry = (file: string) =>
  fileURLToPath(new URL(`../../infra/example/${file}`, import.meta.url));
const newApp = useCdkApps('cdk-reactions');

/** Synthesized offline; bundling skipped (the example app's test bundles for real). */
const synth = ({
  withReactions = true,
  ...props
}: Partial<CounterProjectionPipelineProps> & { withReactions?: boolean } = {}) => {
  const app = newApp();
  const stack = new Stack(app, 'Test');
  const pipeline = new CounterProjectionPipeline(stack, 'Counters', {
    handlerEntry: entry('handler.ts'),
    ...(withReactions ? { reactions: { handlerEntry: entry('reactionsHandler.ts') } } : {}),
    ...props,
  });
  const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as never);
  return { app, stack, pipeline, id, template: Template.fromStack(stack) };
};

describe('CounterProjectionPipeline with reactions', () => {
  const { template, pipeline, id } = synth();
  const reactions = pipeline.reactions;
  if (reactions === undefined) throw new Error('no reactions');

  it('gives the counts table a NEW_AND_OLD_IMAGES stream, and none without reactions', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    const plain = synth({ withReactions: false });
    plain.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      StreamSpecification: Match.absent(),
    });
    expect(plain.pipeline.reactions).toBeUndefined();
    expect(Object.keys(plain.template.findResources('AWS::Lambda::Function'))).toHaveLength(1);
  });

  it('maps the counts stream to the reactions function as safely as the projection’s, totals only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id(pipeline.countsTable), 'StreamArn'] },
      FunctionName: { Ref: id(reactions.function) },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 12 * 3600,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { Keys: { sk: { S: ['total'] } } },
            }),
          },
        ],
      },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [id(reactions.deadLetterQueue), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          REACTIONS_TABLE_NAME: { Ref: id(pipeline.eventTable) },
          CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES: 'true',
          POWERTOOLS_SERVICE_NAME: 'Counters-reactions',
        }),
      },
    });
  });

  it('lets the reactions function push to the target table and read its stream, nothing else', () => {
    const roleId = id(reactions.function.role as never);
    expect(grantsOf(template, roleId)).toEqual(
      expect.arrayContaining([
        {
          Actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: { 'Fn::GetAtt': [id(pipeline.countsTable), 'StreamArn'] },
        },
        { Actions: ['dynamodb:ListStreams'], Resource: '*' },
        {
          Actions: ['dynamodb:PutItem'],
          Resource: { 'Fn::GetAtt': [id(pipeline.eventTable), 'Arn'] },
        },
        {
          Actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: { 'Fn::GetAtt': [id(reactions.deadLetterQueue), 'Arn'] },
        },
      ]),
    );
    expect(grantsOf(template, roleId)).toHaveLength(4);

    // Another target table: the PutItem goes there.
    const app = newApp();
    const stack = new Stack(app, 'Other');
    const target = new Table(stack, 'Reached', {
      partitionKey: { name: 'aggregateId', type: AttributeType.STRING },
    });
    const other = new CounterProjectionPipeline(stack, 'Counters', {
      handlerEntry: entry('handler.ts'),
      reactions: { handlerEntry: entry('reactionsHandler.ts'), targetTable: asITable(target) },
    });
    const otherTemplate = Template.fromStack(stack);
    const otherRole = stack.getLogicalId(
      other.reactions?.function.role?.node.defaultChild as never,
    );
    expect(grantsOf(otherTemplate, otherRole)).toContainEqual({
      Actions: ['dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(target.node.defaultChild as never), 'Arn'] },
    });
  });

  it("makes the projection skip the reactions' COUNT_REACHED events when they go to the event table, and only then", () => {
    const variablesOf = (built: ReturnType<typeof synth>) =>
      built.template.toJSON().Resources[
        built.id(built.pipeline.projectionFunction as unknown as IConstruct)
      ].Properties.Environment.Variables as Record<string, unknown>;
    expect(variablesOf(synth())).toMatchObject({ [UNKNOWN_EVENT_STORES_ENV]: 'skip' });
    expect(variablesOf(synth({ withReactions: false }))).not.toHaveProperty(
      UNKNOWN_EVENT_STORES_ENV,
    );
    const elsewhere = synth({
      reactions: {
        handlerEntry: entry('reactionsHandler.ts'),
        // An App of its own writes its assembly where the others do, not in the OS's tmp.
        targetTable: Table.fromTableName(new Stack(newApp(), 'Elsewhere'), 'Reached', 'reached'),
      },
    });
    expect(variablesOf(elsewhere)).not.toHaveProperty(UNKNOWN_EVENT_STORES_ENV);
  });

  it('alarms on the reactions’ lag, errors, throttles and dead letters, each saying what to do', () => {
    const descriptions = reactions.alarms.map(
      (alarm) => (alarm.node.defaultChild as { alarmDescription?: string }).alarmDescription,
    );
    expect(reactions.alarms).toHaveLength(4);
    expect(descriptions.join('\n')).toMatch(/The reactions lags behind its stream/);
    expect(descriptions.join('\n')).toMatch(/replayDeadLetter and your reactions' processRecords/);
    expect(synth({ alarms: false }).pipeline.reactions?.alarms).toEqual([]);
  });

  it('passes cdk-nag’s AwsSolutions pack', () => {
    const { app } = synth();
    expect(new AwsSolutionsChecks(app).validateScope(app).violations).toEqual([]);
  });
});
