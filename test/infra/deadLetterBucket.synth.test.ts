import { fileURLToPath } from 'node:url';

import { type App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';

import { CounterProjectionPipeline } from '../../infra/index.js';
import { acknowledgedFindings, useCdkApps } from './cdkApps.js';

const handlerEntry = fileURLToPath(new URL('../../infra/example/handler.ts', import.meta.url));
const newApp = useCdkApps('cdk-dead-letter-bucket');

/**
 * One synthesis for the file (bundling skipped): a pipeline with `deadLetter: 's3'` and its
 * defaults, and one with its retention and alarms tuned.
 */
let app: App;
let stack: Stack;
let template: Template;
let pipeline: CounterProjectionPipeline;
let tuned: CounterProjectionPipeline;
beforeAll(() => {
  app = newApp();
  stack = new Stack(app, 'Test');
  pipeline = new CounterProjectionPipeline(stack, 'Counters', { handlerEntry, deadLetter: 's3' });
  tuned = new CounterProjectionPipeline(stack, 'Tuned', {
    handlerEntry,
    countsTable: pipeline.countsTable,
    deadLetter: 's3',
    deadLetterRetention: Duration.days(30),
    alarms: { deadLetters: 2, deadLetterDeliveryFailures: false },
  });
  template = Template.fromStack(stack);
});
const id = (construct: IConstruct | undefined) =>
  stack.getLogicalId(construct?.node.defaultChild as never);
const arnOf = (construct: IConstruct | undefined) => ({ 'Fn::GetAtt': [id(construct), 'Arn'] });
const propertiesOf = (type: string, construct: IConstruct | undefined) =>
  template.findResources(type)[id(construct)]?.Properties as Record<string, unknown>;

describe("CounterProjectionPipeline with deadLetter: 's3' (the records kept in a bucket)", () => {
  it('maps the stream to the bucket as its on-failure destination, with the mapping’s EventCount metrics on, and makes no queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id(pipeline.projectionFunction) },
      DestinationConfig: { OnFailure: { Destination: arnOf(pipeline.deadLetterBucket) } },
      MetricsConfig: { Metrics: ['EventCount'] },
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.resourceCountIs('AWS::SQS::Queue', 0);
    expect(pipeline.deadLetterQueue).toBeUndefined();
  });

  it('encrypts the bucket, refuses non-TLS access, blocks public access and ACLs, versions it, expires its objects and keeps it on stack deletion', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'DeadLettersExpire',
              Status: 'Enabled',
              ExpirationInDays: 14,
              NoncurrentVersionExpiration: { NoncurrentDays: 14 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
            { Id: 'DeleteMarkersCleared', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
          ],
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(propertiesOf('AWS::S3::Bucket', tuned.deadLetterBucket)).toMatchObject({
      LifecycleConfiguration: {
        Rules: [{ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }, {}],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(pipeline.deadLetterBucket) },
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

  it('grants the function s3:PutObject on the bucket’s objects and s3:ListBucket, while the bucket is this account’s: nothing else of S3 or SQS', () => {
    const role = stack.getLogicalId(pipeline.projectionFunction.role?.node.defaultChild as never);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(({ Properties }) => JSON.stringify(Properties.Roles).includes(role))
      .flatMap(
        ({ Properties }) => Properties.PolicyDocument.Statement as Record<string, unknown>[],
      );
    const storage = statements.filter(({ Action }) =>
      [Action].flat().some((action) => /^(s3|sqs|kms):/.test(String(action))),
    );
    const thisAccount = { StringEquals: { 's3:ResourceAccount': { Ref: 'AWS::AccountId' } } };
    expect(storage).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [arnOf(pipeline.deadLetterBucket), '/*']] },
        Condition: thisAccount,
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arnOf(pipeline.deadLetterBucket),
        Condition: thisAccount,
      },
    ]);
  });

  it('alarms on records written to the bucket (the mapping’s metric) and on batches it could not take, each saying what to do', () => {
    const of = (owner: CounterProjectionPipeline) =>
      Object.fromEntries(
        owner.alarms
          .map((alarm) => propertiesOf('AWS::CloudWatch::Alarm', alarm))
          .map((alarm) => [alarm.MetricName, alarm]),
      );
    const byMetric = of(pipeline);
    expect(Object.keys(byMetric).sort()).toEqual([
      'DestinationDeliveryFailures',
      'Errors',
      'IteratorAge',
      'OnFailureDestinationDeliveredEventCount',
      'RecordsFailed',
      'Throttles',
    ]);
    const mapping = Object.entries(template.findResources('AWS::Lambda::EventSourceMapping')).find(
      ([, { Properties }]) =>
        JSON.stringify(Properties.FunctionName).includes(id(pipeline.projectionFunction)),
    )?.[0];
    expect(byMetric.OnFailureDestinationDeliveredEventCount).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'EventSourceMappingUUID', Value: { Ref: mapping } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: expect.stringContaining('replay --dead-letter-bucket'),
    });
    expect(byMetric.DestinationDeliveryFailures).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(pipeline.projectionFunction) } }],
      Statistic: 'Sum',
      Threshold: 0,
      AlarmDescription: expect.stringContaining('rebuild'),
    });
    const tunedAlarms = of(tuned);
    expect(tunedAlarms.OnFailureDestinationDeliveredEventCount).toMatchObject({ Threshold: 2 });
    expect(tunedAlarms.DestinationDeliveryFailures).toBeUndefined();
  });

  it('passes cdk-nag’s AwsSolutions pack, and each acknowledged finding carries a written reason', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations).toEqual([]);
    const acknowledged = acknowledgedFindings(app);
    expect(
      [
        ...new Set(acknowledged.map(({ id }) => id.replace('Annotation::', '').split('[')[0])),
      ].sort(),
    ).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-S1']);
    expect(acknowledged.map(({ id }) => id.replace('Annotation::', ''))).toContain(
      `AwsSolutions-IAM5[Resource::<${id(pipeline.deadLetterBucket)}.Arn>/*]`,
    );
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });
});
