import type { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { countingStreamFilter, UNKNOWN_EVENT_STORES_ENV } from '../src/counterProjection/index.js';
import {
  createAlarms,
  metricsSettingsOf,
  type PipelineAlarmSettings,
  type PipelineMetricsSettings,
} from './alarms.js';
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
  /** How long the dead letter queue keeps records that failed every retry. Default 14 days. */
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
 * SQS dead letter queue. The function may read the stream and read/write the counts
 * table (and decrypt with their customer managed KMS keys, if they have one), nothing
 * else. Alarms on lag, errors, throttles, dead letters and failed records.
 */
export class CounterProjectionPipeline extends Construct {
  /** The event table, created or given. */
  readonly eventTable: ITable;
  /** The counts table, created or given. */
  readonly countsTable: ITable;
  readonly projectionFunction: NodejsFunction;
  readonly deadLetterQueue: Queue;
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
    this.deadLetterQueue = createDeadLetterQueue(
      this,
      'DeadLetterQueue',
      props.deadLetterRetention,
    );
    this.projectionFunction = this.createFunction(props);
    this.projectionFunction.addEventSource(
      createStreamEventSource(this.eventTable, props.eventSource ?? {}, {
        filter: FilterCriteria.filter(countingStreamFilter),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    this.alarms =
      props.alarms === false
        ? []
        : createAlarms(this, props.alarms ?? {}, {
            fn: this.projectionFunction,
            queue: this.deadLetterQueue,
            metrics: this.metricsSettings,
          });
    acknowledgeConsumerFindings(this.projectionFunction, this.deadLetterQueue);
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
