import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore, EventStoreId } from '@castore/core';

import type { ImageParser } from '../imageParser/index.js';
import {
  CounterError,
  integerOption,
  oneOfOption,
  type RetryOptions,
  retryOptions,
  tableNameOption,
} from '../shared/index.js';
import type { ProjectionLogger, ProjectionMetrics } from './batchReport.js';
import type { Counter } from './counter.js';
import { emfMetricsFromEnvironment } from './emfMetrics.js';

export interface CounterProjectionOptions<
  EVENT_STORES extends EventStore,
  COUNTERS extends Counter<EventStoreId<EVENT_STORES>>,
> {
  dynamoDBClient: DynamoDBClient;
  countsTableName: string | (() => string);
  /** Every store whose events reach the stream, or set unknownEventStores: 'skip'. */
  sourceEventStores: EVENT_STORES[];
  counters: readonly COUNTERS[];
  /** Events of stores not in sourceEventStores: 'fail' (default, reported) or 'skip'. */
  unknownEventStores?: 'fail' | 'skip';
  retry?: Partial<RetryOptions>;
  /** Count transactions in flight at once for one batch. Default 4. */
  concurrency?: number;
  /**
   * Where failures (and, with an `info` method, one line per batch) are logged: Powertools'
   * Logger for JSON lines. Default: console.error, failures only.
   */
  logger?: ProjectionLogger;
  /**
   * Each batch's figures, published after it: Powertools' Metrics for CloudWatch EMF.
   * Default: EMF lines on stdout when POWERTOOLS_METRICS_NAMESPACE is set (as
   * CounterProjectionPipeline sets it, so that its alarms are fed), else none.
   */
  metrics?: ProjectionMetrics;
  /**
   * How `handler` tells Lambda that records failed. true: it returns `batchItemFailures`,
   * which Lambda reads only when the event source mapping has ReportBatchItemFailures in
   * FunctionResponseTypes (without it, the failed records would be dropped silently).
   * false: it throws, which every mapping retries. Default: the environment variable
   * CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES=true (which CounterProjectionPipeline sets
   * together with the mapping setting), else false.
   */
  reportBatchItemFailures?: boolean;
}

/** The counters by name: one counter per name, each of a store the projection reads. */
export const indexCounters = <COUNTER extends Counter>(
  counters: readonly COUNTER[],
  imageParser: Pick<ImageParser<EventStore>, 'hasEventStore'>,
): Map<string, COUNTER> => {
  const byName = new Map<string, COUNTER>();
  for (const counter of counters) {
    if (byName.has(counter.name)) {
      throw new CounterError('InvalidCounterDefinition', {
        counterName: counter.name,
        field: 'name',
        value: counter.name,
        expected: 'a name used by one counter only',
      });
    }
    if (!imageParser.hasEventStore(counter.eventStoreId)) {
      throw new CounterError('InvalidCounterDefinition', {
        counterName: counter.name,
        field: 'eventStore',
        value: counter.eventStoreId,
        expected: 'one of sourceEventStores',
      });
    }
    byName.set(counter.name, counter);
  }
  return byName;
};

/**
 * The environment variable by which a deployment makes unknownEventStores default to
 * 'skip': the CDK construct sets it when reactions push their COUNT_REACHED events into
 * the event table the projection reads. An option given in code wins.
 */
export const UNKNOWN_EVENT_STORES_ENV = 'CASTORE_COUNTER_UNKNOWN_EVENT_STORES';

const TABLE_NAME_HINT = ": the counts table's (is the environment variable that holds it set?)";

/** The counts table's name, a function's checked when called (a string's is, at construction). */
export const countsTableNameOf = (name: string | (() => string)): string =>
  typeof name === 'string' ? name : tableNameOption('countsTableName()', name(), TABLE_NAME_HINT);

/** The projection's options with their defaults, each checked (InvalidOption): 0 concurrency would count nothing. */
export const projectionSettings = (options: {
  /** Checked now when not a function: a wrong name (an unset environment variable) fails here, not at the first batch. */
  countsTableName?: string | (() => string);
  retry?: Partial<RetryOptions> | undefined;
  concurrency?: number | undefined;
  unknownEventStores?: 'fail' | 'skip' | undefined;
  logger?: ProjectionLogger | undefined;
  metrics?: ProjectionMetrics | undefined;
}) => ({
  countsTableName:
    typeof options.countsTableName === 'function'
      ? undefined
      : tableNameOption('countsTableName', options.countsTableName, TABLE_NAME_HINT),
  retry: retryOptions(options.retry),
  concurrency: integerOption('concurrency', options.concurrency, {
    min: 1,
    max: 100,
    defaultValue: 4,
  }),
  unknownEventStores: oneOfOption(
    'unknownEventStores',
    options.unknownEventStores,
    ['fail', 'skip'],
    process.env[UNKNOWN_EVENT_STORES_ENV] === 'skip' ? 'skip' : 'fail',
  ),
  /** Where each batch is logged and its figures published. */
  report: { logger: options.logger, metrics: options.metrics ?? emfMetricsFromEnvironment() },
});
