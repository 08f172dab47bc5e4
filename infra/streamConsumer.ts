import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  type FilterCriteria,
  type IEventSourceDlq,
  MetricType,
  Runtime,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/*
 * What the projection and the reactions share: a function on a table's stream, mapped
 * with the same safe settings, and its encrypted dead letter queue.
 */

/**
 * Node.js 24, the latest Lambda offers (cdk-nag's AwsSolutions-L1 wants the latest); the
 * image docs/deploy.md documents for CounterProjectionService is the same major.
 */
export const DEFAULT_FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

export interface ConsumerFunctionSettings {
  /** Default Node.js 24 (DEFAULT_FUNCTION_RUNTIME). */
  runtime?: Runtime;
  /** Default 512 MB. */
  memorySize?: number;
  /** Default 60 s. */
  timeout?: Duration;
  environment?: Record<string, string>;
  bundling?: BundlingOptions;
  /** Default one month. */
  logRetention?: RetentionDays;
}

export interface EventSourceSettings {
  /** Default 500. */
  batchSize?: number;
  /** Default none. */
  maxBatchingWindow?: Duration;
  /** Default 10: finite, so that a poison record ends in the dead letter queue instead of blocking its shard. */
  retryAttempts?: number;
  /** Default 12 h, under the stream's 24 h retention: records go to the dead letter queue before they expire. */
  maxRecordAge?: Duration;
  /** Default true. */
  bisectBatchOnError?: boolean;
  /** Default 1: batches of one shard in order. */
  parallelizationFactor?: number;
}

export const createDeadLetterQueue = (scope: Construct, id: string, retention?: Duration) =>
  new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: retention ?? Duration.days(14),
  });

export const createConsumerFunction = (
  scope: Construct,
  {
    ids,
    entry,
    handler,
    settings,
    environment,
  }: {
    ids: { function: string; logs: string };
    entry: string;
    handler: string;
    settings: ConsumerFunctionSettings;
    environment: Record<string, string>;
  },
): NodejsFunction =>
  new NodejsFunction(scope, ids.function, {
    entry,
    handler,
    runtime: settings.runtime ?? DEFAULT_FUNCTION_RUNTIME,
    memorySize: settings.memorySize ?? 512,
    timeout: settings.timeout ?? Duration.seconds(60),
    environment: {
      ...settings.environment,
      ...environment,
      // Its mapping reports batch item failures: the handler may return them.
      CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES: 'true',
    },
    logGroup: new LogGroup(scope, ids.logs, {
      retention: settings.logRetention ?? RetentionDays.ONE_MONTH,
    }),
    ...(settings.bundling !== undefined ? { bundling: settings.bundling } : {}),
  });

/**
 * TRIM_HORIZON, ReportBatchItemFailures, bisect, finite retries, a record age under the
 * retention, a dead letter (a queue's SqsDlq, or a bucket's destination, which needs the
 * mapping's EventCount metrics for its alarm).
 */
export const createStreamEventSource = (
  table: ITable,
  settings: EventSourceSettings,
  {
    filter,
    onFailure,
    eventCountMetrics = false,
  }: {
    filter: ReturnType<typeof FilterCriteria.filter>;
    onFailure: IEventSourceDlq;
    eventCountMetrics?: boolean;
  },
): DynamoEventSource =>
  new DynamoEventSource(table, {
    startingPosition: StartingPosition.TRIM_HORIZON,
    reportBatchItemFailures: true,
    batchSize: settings.batchSize ?? 500,
    ...(settings.maxBatchingWindow !== undefined
      ? { maxBatchingWindow: settings.maxBatchingWindow }
      : {}),
    bisectBatchOnError: settings.bisectBatchOnError ?? true,
    retryAttempts: settings.retryAttempts ?? 10,
    maxRecordAge: settings.maxRecordAge ?? Duration.hours(12),
    parallelizationFactor: settings.parallelizationFactor ?? 1,
    filters: [filter],
    onFailure,
    ...(eventCountMetrics ? { metricsConfig: { metrics: [MetricType.EVENT_COUNT] } } : {}),
  });

/** cdk-nag findings that are the design of a stream consumer, each with its reason (checked by the tests). */
export const acknowledgeConsumerFindings = (fn: NodejsFunction, queue: Queue | undefined): void => {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams cannot be scoped to a resource (granted by the DynamoDB event source); every other action is scoped to the stream, a table or the dead letter queue or bucket.',
  });
  if (queue === undefined) return;
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead letter (on-failure destination) of the stream event source mapping.',
  });
};
