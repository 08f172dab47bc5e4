import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';

import { buildExampleApp } from '../../infra/example/app.js';
import {
  CounterProjectionPipeline,
  type CounterProjectionPipelineProps,
} from '../../infra/index.js';
import { REPORT_BATCH_ITEM_FAILURES_ENV } from '../../src/streamBatch/index.js';
import { acknowledgedFindings, useCdkApps } from './cdkApps.js';

const handlerEntry = fileURLToPath(new URL('../../infra/example/handler.ts', import.meta.url));

const newApp = useCdkApps('cdk-assemblies');

/** Synthesized offline; bundling skipped (one test below bundles for real). */
const synth = (props: Partial<CounterProjectionPipelineProps> = {}) => {
  const app = newApp();
  const stack = new Stack(app, 'Test');
  const pipeline = new CounterProjectionPipeline(stack, 'Counters', { handlerEntry, ...props });
  return { app, stack, pipeline, template: Template.fromStack(stack) };
};

describe('CounterProjectionPipeline', () => {
  const { template, stack, pipeline } = synth();
  const ref = (construct: IConstruct) => ({
    'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as never), 'Arn'],
  });

  it('creates the event table with the adapter’s keys, the initialEvents GSI, a NEW_IMAGE stream, PITR, on-demand billing and deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [
          { AttributeName: 'aggregateId', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'version', AttributeType: 'N' },
          { AttributeName: 'timestamp', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'initialEvents',
            KeySchema: [
              { AttributeName: 'eventStoreId', KeyType: 'HASH' },
              { AttributeName: 'timestamp', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('creates the counts table as the projection expects it, its TTL on expiresAt (window retention, old watermarks)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
    });
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
  });

  it('runs the projection on Node.js 24 with the table names in its environment, declaring the partial batch responses its mapping has', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Environment: {
        Variables: {
          COUNTS_TABLE_NAME: { Ref: Match.anyValue() },
          EVENT_TABLE_NAME: { Ref: Match.anyValue() },
          // The handler returns batchItemFailures only when told the mapping reads them.
          [REPORT_BATCH_ITEM_FAILURES_ENV]: 'true',
        },
      },
    });
  });

  it('maps the stream with the safe settings: TRIM_HORIZON, partial failures, bisect, finite retries, record age under 24 h, INSERT only, a dead letter', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: {
        'Fn::GetAtt': [
          stack.getLogicalId(pipeline.eventTable.node.defaultChild as never),
          'StreamArn',
        ],
      },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 12 * 3600,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      DestinationConfig: { OnFailure: { Destination: ref(pipeline.deadLetterQueue!) } },
    });
  });

  it('encrypts the dead letter queue and refuses non-TLS access to it', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });

  it('grants the function the stream’s reads, the counts table’s reads and writes and the queue’s sends: nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const statements = (policies[0]?.Properties.PolicyDocument.Statement ?? []) as {
      Action: string | string[];
      Resource: unknown;
      Effect: string;
    }[];
    const grants = statements.map(({ Action, Resource, Effect }) => ({
      Effect,
      Actions: [Action].flat().sort(),
      Resource,
    }));
    expect(grants).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: {
            'Fn::GetAtt': [
              stack.getLogicalId(pipeline.eventTable.node.defaultChild as never),
              'StreamArn',
            ],
          },
        },
        { Effect: 'Allow', Actions: ['dynamodb:ListStreams'], Resource: '*' },
        {
          Effect: 'Allow',
          Actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:ConditionCheckItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          Resource: ref(pipeline.countsTable),
        },
        {
          Effect: 'Allow',
          Actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Resource: ref(pipeline.deadLetterQueue!),
        },
      ]),
    );
    expect(grants).toHaveLength(4);
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0];
    expect(JSON.stringify(role?.Properties.ManagedPolicyArns)).toContain(
      'service-role/AWSLambdaBasicExecutionRole',
    );
    expect(role?.Properties.ManagedPolicyArns).toHaveLength(1);
    expect(role?.Properties.Policies).toBeUndefined();
  });

  it('lets every setting be overridden through typed props', () => {
    const custom = synth({
      eventTable: { tableName: 'events', deletionProtection: false, pointInTimeRecovery: false },
      countsTable: { tableName: 'counts' },
      projectionFunction: {
        runtime: Runtime.NODEJS_20_X,
        memorySize: 1024,
        timeout: Duration.seconds(30),
        environment: { LOG_LEVEL: 'debug' },
      },
      eventSource: {
        batchSize: 100,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(1),
        bisectBatchOnError: false,
        parallelizationFactor: 2,
        maxBatchingWindow: Duration.seconds(5),
      },
      deadLetterRetention: Duration.days(4),
    }).template;
    custom.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'events',
      DeletionProtectionEnabled: false,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    custom.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'counts' });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs20.x',
      MemorySize: 1024,
      Timeout: 30,
      Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'debug' }) },
    });
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 2,
      MaximumBatchingWindowInSeconds: 5,
    });
    custom.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 4 * 24 * 3600 });
  });

  it('alarms on lag, errors, throttles, dead letters and failed records, each saying what to do', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      ({ Properties }) => Properties as Record<string, unknown>,
    );
    const byMetric = Object.fromEntries(alarms.map((alarm) => [alarm.MetricName, alarm]));
    expect(Object.keys(byMetric).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'IteratorAge',
      'RecordsFailed',
      'Throttles',
    ]);
    expect(byMetric.IteratorAge).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: 300_000,
      EvaluationPeriods: 5,
    });
    expect(byMetric.Errors).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0 });
    expect(byMetric.ApproximateNumberOfMessagesVisible).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 0,
    });
    // The handler's metrics publish where the alarm looks: the function's environment says where.
    expect(byMetric.RecordsFailed).toMatchObject({
      Namespace: 'CastoreCounters',
      Dimensions: [{ Name: 'service', Value: 'Counters' }],
      Statistic: 'Sum',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_METRICS_NAMESPACE: 'CastoreCounters',
          POWERTOOLS_SERVICE_NAME: 'Counters',
        }),
      },
    });
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(String(alarm.AlarmDescription).length).toBeGreaterThan(40);
      expect(alarm.AlarmActions).toBeUndefined();
    }
  });

  it('lets each alarm be tuned or turned off, sends them to a topic, or makes none', () => {
    const app = newApp();
    const stack = new Stack(app, 'Tuned');
    const topic = new Topic(stack, 'Alerts', { enforceSSL: true });
    new CounterProjectionPipeline(stack, 'Counters', {
      handlerEntry,
      alarms: { topic, iteratorAge: false, deadLetters: 3 },
      metrics: { namespace: 'Shop', serviceName: 'counts' },
    });
    const tuned = Object.values(
      Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'),
    ).map(({ Properties }) => Properties as Record<string, unknown>);
    expect(tuned.map((alarm) => alarm.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'RecordsFailed',
      'Throttles',
    ]);
    expect(
      tuned.find((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible'),
    ).toMatchObject({ Threshold: 3 });
    expect(tuned.find((alarm) => alarm.MetricName === 'RecordsFailed')).toMatchObject({
      Namespace: 'Shop',
      Dimensions: [{ Name: 'service', Value: 'counts' }],
    });
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
    for (const alarm of tuned) {
      expect(alarm.AlarmActions).toEqual([topicRef]);
      expect(alarm.OKActions).toEqual([topicRef]);
    }
    expect(synth({ alarms: false }).template.findResources('AWS::CloudWatch::Alarm')).toEqual({});
  });

  it('passes cdk-nag’s AwsSolutions pack, and each acknowledged finding carries a written reason', () => {
    const { app } = synth();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations).toEqual([]);
    const acknowledged = acknowledgedFindings(app);
    expect(
      acknowledged.map(({ id }) => id.replace('Annotation::', '').split('[')[0]).sort(),
    ).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-SQS3']);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });

  it('bundles the example handlers with esbuild (the example app, synthesized for real)', () => {
    const { app } = buildExampleApp(newApp({ bundle: true }));
    const assembly = app.synth();
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(2); // the projection's handler and the reactions'
    const bundles = assets.map((asset) => {
      const bundle = join(assembly.directory, asset, 'index.mjs');
      return readFileSync(
        existsSync(bundle) ? bundle : join(assembly.directory, asset, 'index.js'),
        'utf8',
      );
    });
    expect(bundles.filter((code) => code.includes('COUNTS_TABLE_NAME'))).toHaveLength(1);
    expect(bundles.filter((code) => code.includes('REACTIONS_TABLE_NAME'))).toHaveLength(1);
  }, 120_000);
});
