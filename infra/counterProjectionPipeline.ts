import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import {
  createAlarms,
  type PipelineAlarmSettings,
  type PipelineMetricsSettings,
} from './alarms.js';
import { createCountsTable, createEventTable, type TableSettings } from './tables.js';

export interface CounterProjectionPipelineProps {
  /** The module whose export is the projection's handler (`export const handler = projection.handler`). */
  handlerEntry: string;
  /** Default "handler". */
  handlerExport?: string;
  eventTable?: TableSettings;
  countsTable?: TableSettings;
  projectionFunction?: {
    /** Default Node.js 24 (cdk-nag's AwsSolutions-L1 wants the latest). */
    runtime?: Runtime;
    /** Default 512 MB. */
    memorySize?: number;
    /** Default 60 s. */
    timeout?: Duration;
    environment?: Record<string, string>;
    bundling?: BundlingOptions;
    /** Default one month. */
    logRetention?: RetentionDays;
  };
  eventSource?: {
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
  };
  /** How long the dead letter queue keeps records that failed every retry. Default 14 days. */
  deadLetterRetention?: Duration;
  /** CloudWatch alarms, each on by default (see PipelineAlarmSettings); false: none. */
  alarms?: PipelineAlarmSettings | false;
  /** Where the handler's Powertools Metrics publish (set as the function's environment). */
  metrics?: PipelineMetricsSettings;
}

/**
 * The event table, the counts table, and the projection Lambda on the event table's
 * stream: TRIM_HORIZON, ReportBatchItemFailures, bisect on error, finite retries, a
 * maximum record age under the stream's retention, INSERT records only, and an encrypted
 * SQS dead letter queue. The function may read the stream and read/write the counts
 * table, nothing else. Alarms on lag, errors, throttles, dead letters and failed records.
 */
export class CounterProjectionPipeline extends Construct {
  readonly eventTable: Table;
  readonly countsTable: Table;
  readonly projectionFunction: NodejsFunction;
  readonly deadLetterQueue: Queue;
  readonly alarms: Alarm[];
  private readonly metricsSettings: Required<PipelineMetricsSettings>;

  constructor(scope: Construct, id: string, props: CounterProjectionPipelineProps) {
    super(scope, id);
    this.metricsSettings = {
      namespace: props.metrics?.namespace ?? 'CastoreCounters',
      serviceName: props.metrics?.serviceName ?? id,
    };
    this.eventTable = createEventTable(this, props.eventTable ?? {});
    this.countsTable = createCountsTable(this, props.countsTable ?? {});
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    this.projectionFunction = this.createFunction(props);
    this.projectionFunction.addEventSource(this.createEventSource(props.eventSource ?? {}));
    this.alarms =
      props.alarms === false
        ? []
        : createAlarms(this, props.alarms ?? {}, {
            fn: this.projectionFunction,
            queue: this.deadLetterQueue,
            metrics: this.metricsSettings,
          });
    this.suppressJustifiedFindings();
  }

  private createEventSource(
    settings: NonNullable<CounterProjectionPipelineProps['eventSource']>,
  ): DynamoEventSource {
    return new DynamoEventSource(this.eventTable, {
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
      filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      onFailure: new SqsDlq(this.deadLetterQueue),
    });
  }

  private createFunction(props: CounterProjectionPipelineProps): NodejsFunction {
    const settings = props.projectionFunction ?? {};
    const fn = new NodejsFunction(this, 'ProjectionFunction', {
      entry: props.handlerEntry,
      handler: props.handlerExport ?? 'handler',
      runtime: settings.runtime ?? Runtime.NODEJS_24_X,
      memorySize: settings.memorySize ?? 512,
      timeout: settings.timeout ?? Duration.seconds(60),
      environment: {
        ...settings.environment,
        EVENT_TABLE_NAME: this.eventTable.tableName,
        COUNTS_TABLE_NAME: this.countsTable.tableName,
        // The mapping below reports batch item failures: the handler may return them.
        CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES: 'true',
        // Read by Powertools' Metrics and Logger when the handler makes them without these.
        POWERTOOLS_METRICS_NAMESPACE: this.metricsSettings.namespace,
        POWERTOOLS_SERVICE_NAME: this.metricsSettings.serviceName,
      },
      logGroup: new LogGroup(this, 'ProjectionLogs', {
        retention: settings.logRetention ?? RetentionDays.ONE_MONTH,
      }),
      ...(settings.bundling !== undefined ? { bundling: settings.bundling } : {}),
    });
    // Exactly what CounterProjection does: reads (GetItem, BatchGetItem, Query) and
    // transactions of Put/Update with conditions. No Scan, no Delete, no other table.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [this.countsTable.tableArn],
      }),
    );
    return fn;
  }

  /** cdk-nag findings that are the design, each with its reason (checked by the tests). */
  private suppressJustifiedFindings(): void {
    Validations.of(this.projectionFunction).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
    });
    Validations.of(this.projectionFunction).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams cannot be scoped to a resource (granted by the DynamoDB event source); every other action is scoped to the stream, the counts table or the queue.',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead letter (on-failure destination) of the stream event source mapping.',
    });
  }
}
