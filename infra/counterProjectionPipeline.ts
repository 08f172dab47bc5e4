import type { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { countingStreamFilter, UNKNOWN_EVENT_STORES_ENV } from '../src/counterProjection/index.js';
import {
  createAlarms,
  metricsSettingsOf,
  type PipelineAlarmSettings,
  type PipelineMetricsSettings,
} from './alarms.js';
import {
  acknowledgeBucketFindings,
  BucketOnFailure,
  createDeadLetterBucket,
} from './deadLetterBucket.js';
import { pipelineTables, type TableInput } from './existingTables.js';
import { PipelineReactions, type ReactionsSettings } from './reactions.js';
import {
  acknowledgeConsumerFindings,
  type ConsumerFunctionSettings,
  createConsumerFunction,
  createDeadLetterQueue,
  createStreamEventSource,
  type EventSourceSettings,
} from './streamConsumer.js';
import { grantTableKey } from './tableKeys.js';
import { asITable, createCountsTable, createEventTable } from './tables.js';

export interface CounterProjectionPipelineProps {
  /** The module whose export is the projection's handler (`export const handler = projection.handler`). */
  handlerEntry: string;
  /** Default "handler". */
  handlerExport?: string;
  /**
   * The event table: settings of the one to create (the default), or an existing table with
   * its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES), e.g. Table.fromTableAttributes with
   * tableStreamArn. One pipeline per event table.
   */
  eventTable?: TableInput;
  /**
   * The counts table: settings of the one to create (the default), or an existing one, e.g.
   * another pipeline's (pipelines may share one counts table); with reactions it needs a
   * NEW_AND_OLD_IMAGES stream.
   */
  countsTable?: TableInput;
  projectionFunction?: ConsumerFunctionSettings;
  eventSource?: EventSourceSettings;
  /**
   * Where a batch that failed every retry goes: `'sqs'` (the default), a queue message that
   * says where its records are in the stream, replayable within the stream's 24 hours; or
   * `'s3'`, an object of a bucket holding the records themselves, replayable whenever (see
   * docs/operate.md for which to choose). The reactions keep their queue.
   */
  deadLetter?: 'sqs' | 's3';
  /** How long dead letters are kept: the queue's retention, or the bucket's objects' expiry. Default 14 days. */
  deadLetterRetention?: Duration;
  /** CloudWatch alarms, each on by default (see PipelineAlarmSettings); false: none. */
  alarms?: PipelineAlarmSettings | false;
  /** Where the handler's metrics publish (set as the function's environment, which the projection reads). */
  metrics?: PipelineMetricsSettings;
  /** A reactions function on the counts table's stream (which it then gets): see ReactionsSettings. */
  reactions?: ReactionsSettings;
}

/**
 * The event table, the counts table, and the projection Lambda on the event table's
 * stream: TRIM_HORIZON, ReportBatchItemFailures, bisect on error, finite retries, a
 * maximum record age under the stream's retention, INSERT records only, and an encrypted
 * SQS dead letter queue (or, with `deadLetter: 's3'`, an encrypted bucket that keeps the
 * records themselves). The function may read the stream, read/write the counts table (and
 * decrypt with their customer managed KMS keys, if they have one) and write its dead
 * letters, nothing else. Alarms on lag, errors, throttles, dead letters and failed records.
 */
export class CounterProjectionPipeline extends Construct {
  /** The event table, created or given. */
  readonly eventTable: ITable;
  /** The counts table, created or given. */
  readonly countsTable: ITable;
  readonly projectionFunction: NodejsFunction;
  /** The projection's dead letter queue (`deadLetter: 'sqs'`, the default). */
  readonly deadLetterQueue: Queue | undefined;
  /** The projection's dead letter bucket (`deadLetter: 's3'`). */
  readonly deadLetterBucket: Bucket | undefined;
  readonly alarms: Alarm[];
  /** The reactions function and its queue and alarms, when `reactions` is given. */
  readonly reactions: PipelineReactions | undefined;
  private readonly metricsSettings: Required<PipelineMetricsSettings>;

  constructor(scope: Construct, id: string, props: CounterProjectionPipelineProps) {
    super(scope, id);
    this.metricsSettings = metricsSettingsOf(props.metrics, id);
    const reactions = props.reactions !== undefined;
    ({ eventTable: this.eventTable, countsTable: this.countsTable } = pipelineTables(this, {
      eventTable: props.eventTable,
      countsTable: props.countsTable,
      reactions,
      create: {
        eventTable: (settings) => asITable(createEventTable(this, settings)),
        countsTable: (settings) =>
          asITable(createCountsTable(this, settings, { stream: reactions })),
      },
    }));
    ({ queue: this.deadLetterQueue, bucket: this.deadLetterBucket } =
      this.createDeadLetters(props));
    this.projectionFunction = this.createFunction(props);
    const eventSource = createStreamEventSource(this.eventTable, props.eventSource ?? {}, {
      filter: FilterCriteria.filter(countingStreamFilter),
      onFailure: this.deadLetterBucket
        ? new BucketOnFailure(this.deadLetterBucket)
        : new SqsDlq(this.deadLetterQueue as Queue),
      eventCountMetrics: this.deadLetterBucket !== undefined,
    });
    this.projectionFunction.addEventSource(eventSource);
    this.alarms =
      props.alarms === false
        ? []
        : createAlarms(this, props.alarms ?? {}, {
            fn: this.projectionFunction,
            deadLetters: this.deadLetterQueue
              ? { queue: this.deadLetterQueue }
              : { bucketOfMapping: eventSource.eventSourceMappingId },
            metrics: this.metricsSettings,
          });
    acknowledgeConsumerFindings(this.projectionFunction, this.deadLetterQueue);
    if (this.deadLetterBucket)
      acknowledgeBucketFindings(this.projectionFunction, this.deadLetterBucket);
    this.reactions =
      props.reactions === undefined
        ? undefined
        : new PipelineReactions(this, 'Reactions', {
            settings: props.reactions,
            countsTable: this.countsTable,
            targetTable: props.reactions.targetTable ?? this.eventTable,
            alarms: props.alarms,
            serviceName: `${this.metricsSettings.serviceName}-reactions`,
            deadLetterRetention: props.deadLetterRetention,
          });
  }

  /** The dead letter queue (the default), or with `deadLetter: 's3'` the bucket. */
  private createDeadLetters({ deadLetter, deadLetterRetention }: CounterProjectionPipelineProps) {
    return deadLetter === 's3'
      ? {
          queue: undefined,
          bucket: createDeadLetterBucket(this, 'DeadLetterBucket', deadLetterRetention),
        }
      : {
          queue: createDeadLetterQueue(this, 'DeadLetterQueue', deadLetterRetention),
          bucket: undefined,
        };
  }

  private createFunction(props: CounterProjectionPipelineProps): NodejsFunction {
    const settings = props.projectionFunction ?? {};
    const fn = createConsumerFunction(this, {
      ids: { function: 'ProjectionFunction', logs: 'ProjectionLogs' },
      entry: props.handlerEntry,
      handler: props.handlerExport ?? 'handler',
      settings,
      environment: {
        EVENT_TABLE_NAME: this.eventTable.tableName,
        COUNTS_TABLE_NAME: this.countsTable.tableName,
        // Read by the projection (its metrics when given none), and by Powertools' Metrics and Logger made without these.
        POWERTOOLS_METRICS_NAMESPACE: this.metricsSettings.namespace,
        POWERTOOLS_SERVICE_NAME: this.metricsSettings.serviceName,
        // Reactions push COUNT_REACHED into the event table by default: the projection
        // skips the events of stores it does not read instead of failing on every one.
        ...(props.reactions !== undefined && props.reactions.targetTable === undefined
          ? { [UNKNOWN_EVENT_STORES_ENV]: 'skip' }
          : {}),
      },
    });
    // Exactly what CounterProjection does: reads (GetItem, BatchGetItem, Query) and
    // transactions of Put/Update with conditions. No Scan, no Delete, no other table; and
    // kms:Decrypt on the counts table's customer managed key if it has one.
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
    grantTableKey(fn, this.countsTable);
    return fn;
  }
}
