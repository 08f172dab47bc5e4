import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type {
  DlqDestinationConfig,
  IEventSourceDlq,
  IEventSourceMapping,
  IFunction,
} from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

import type { AlarmSpec, PipelineAlarmSettings } from './alarmSettings.js';

/*
 * The S3 on-failure destination: Lambda writes there each batch that failed every retry
 * with its records, which a replay reads whenever, long after the stream's 24 hours.
 */

/**
 * The dead letter bucket: encrypted (S3-managed keys: nothing to grant), TLS only, never
 * public, ACLs off, versioned, retained when the stack is deleted. An object not replayed
 * expires after `retention`; one deleted (by the drain, once its records were counted, or by
 * its expiry) is kept as a previous version as long again, to be restored if need be.
 */
export const createDeadLetterBucket = (scope: Construct, id: string, retention?: Duration) => {
  const days = retention ?? Duration.days(14);
  return new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'DeadLettersExpire',
        expiration: days,
        noncurrentVersionExpiration: days,
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
      // A delete marker left alone once its versions expired.
      { id: 'DeleteMarkersCleared', expiredObjectDeleteMarker: true },
    ],
  });
};

/**
 * The bucket as a mapping's on-failure destination. CDK's S3OnFailureDestination grants the
 * function read and write (and delete) on the whole bucket; Lambda needs only s3:PutObject
 * and s3:ListBucket, granted here on this bucket, and only while it is this account's (a
 * bucket deleted and its name taken by another account receives nothing).
 */
export class BucketOnFailure implements IEventSourceDlq {
  constructor(private readonly bucket: Bucket) {}

  bind(_target: IEventSourceMapping, targetHandler: IFunction): DlqDestinationConfig {
    const conditions = {
      StringEquals: { 's3:ResourceAccount': Stack.of(this.bucket).account },
    };
    targetHandler.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions,
      }),
    );
    targetHandler.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions,
      }),
    );
    return { destination: this.bucket.bucketArn };
  }
}

/**
 * Its alarms: batches written to the bucket (the mapping's OnFailureDestinationDeliveredEventCount,
 * which the mapping publishes once its EventCount metrics are on), and batches Lambda could
 * not write there (the function's DestinationDeliveryFailures: their records are dropped).
 */
export const bucketAlarmSpecs = (
  settings: PipelineAlarmSettings,
  { fn, mappingId, name }: { fn: IFunction; mappingId: string; name: string },
): (AlarmSpec | false)[] => [
  settings.deadLetters !== false && {
    id: 'DeadLettersAlarm',
    metric: new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'OnFailureDestinationDeliveredEventCount',
      dimensionsMap: { EventSourceMappingUUID: mappingId },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: settings.deadLetters ?? 0,
    evaluationPeriods: 1,
    description: `Records of the ${name} failed every retry and were written to its dead letter bucket, records included: fix the cause (the error lines say it), then drain the bucket (castore-dynamodb-counter replay --dead-letter-bucket) before its objects expire (deadLetterRetention).`,
  },
  settings.deadLetterDeliveryFailures !== false && {
    id: 'DeadLetterDeliveryFailuresAlarm',
    metric: fn.metric('DestinationDeliveryFailures', {
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: settings.deadLetterDeliveryFailures ?? 0,
    evaluationPeriods: 1,
    description: `Lambda could not write failed batches of the ${name} to its dead letter bucket (permissions, a deleted bucket): their records were dropped. Fix the destination, then count them with rebuild (it counts only what was not counted).`,
  },
];

/** cdk-nag findings that are the design of the dead letter bucket, each with its reason (checked by the tests). */
export const acknowledgeBucketFindings = (fn: NodejsFunction, bucket: Bucket): void => {
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'The dead letter bucket is written by the Lambda mapping alone and read by the operator’s drain; object access is in CloudTrail (data events) where an account needs it, and a logs bucket would need its own.',
  });
  Validations.of(fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(bucket.node.defaultChild as never)}.Arn>/*]`,
    reason:
      'Lambda names each dead letter object itself (aws/lambda/<mapping>/<shard>/<time>-<uuid>): s3:PutObject is granted on this bucket’s objects only, and only while the bucket is this account’s.',
  });
};
