import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventStore, EventStoreId } from '@castore/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

import { isIsoTimestamp } from '../adapter/eventItem.js';
import { ImageParser } from '../imageParser/index.js';
import type { StreamRecord } from '../imageParser/streamRecord.js';
import { commitTransaction } from './commitTransaction.js';
import type { Counter } from './counter.js';
import { InvalidCounterDefinitionError, InvalidIncrementError, RecordsNotCountedError, UnknownCounterError } from './errors.js';
import { listCountedRefs, type CountedRef } from './listCountedRefs.js';
import { packTransactions } from './packTransactions.js';
import { toIncrement } from './planIncrements.js';
import { processRecords, type ProcessRecordsResult, type ProcessRecordsStats } from './processRecords.js';
import { getCount, getCounts, getExactCount, getWindowedCounts } from './reads.js';
import { rebuildCounts, type RebuildOptions } from './rebuild.js';
import { integerOption, oneOfOption } from '../shared/options.js';
import { DEFAULT_RETRY_OPTIONS, type RetryOptions } from '../shared/retry.js';
import type { CounterWindow } from './windows.js';

export interface CounterProjectionOptions<EVENT_STORES extends EventStore, COUNTERS extends Counter<EventStoreId<EVENT_STORES>>> {
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
  logger?: Pick<Console, 'error'>;
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

/** The environment variable by which a deployment declares ReportBatchItemFailures on its mapping. */
export const REPORT_BATCH_ITEM_FAILURES_ENV = 'CASTORE_COUNTER_REPORT_BATCH_ITEM_FAILURES';

type WindowOptions = { window?: CounterWindow; bucket?: string | Date };

/**
 * Counts the events of Castore event stores into a counts table, exactly once per
 * (counter, key, targetRef), from the event table's DynamoDB stream (Lambda or any
 * runner) or directly through `increment`.
 */
export class CounterProjection<EVENT_STORES extends EventStore, COUNTERS extends Counter<EventStoreId<EVENT_STORES>>> {
  readonly counters: readonly COUNTERS[];
  readonly imageParser: ImageParser<EVENT_STORES>;
  private readonly options: CounterProjectionOptions<EVENT_STORES, COUNTERS>;
  private readonly countersByName: Map<string, COUNTERS>;
  private readonly retry: RetryOptions;
  private readonly concurrency: number;

  constructor(options: CounterProjectionOptions<EVENT_STORES, COUNTERS>) {
    this.options = options;
    this.counters = options.counters;
    this.retry = retryOptions(options.retry);
    this.concurrency = integerOption('concurrency', options.concurrency, { min: 1, max: 100, defaultValue: 4 });
    const unknownEventStores = oneOfOption('unknownEventStores', options.unknownEventStores, ['fail', 'skip'], 'fail');
    this.imageParser = new ImageParser({ sourceEventStores: options.sourceEventStores, unknownEventStores });
    this.countersByName = new Map();
    for (const counter of options.counters) {
      if (this.countersByName.has(counter.name)) throw new InvalidCounterDefinitionError(counter.name, 'name', counter.name, 'a name used by one counter only');
      if (!this.imageParser.hasEventStore(counter.eventStoreId)) {
        throw new InvalidCounterDefinitionError(counter.name, 'eventStore', counter.eventStoreId, 'one of sourceEventStores');
      }
      this.countersByName.set(counter.name, counter);
    }
  }

  private get countsTableName(): string {
    const { countsTableName } = this.options;
    return typeof countsTableName === 'string' ? countsTableName : countsTableName();
  }

  private counterNamed(counterName: COUNTERS['name']): COUNTERS {
    const counter = this.countersByName.get(counterName);
    if (counter === undefined) throw new UnknownCounterError(counterName, [...this.countersByName.keys()]);
    return counter;
  }

  /**
   * The Lambda handler for the event table's stream. With reportBatchItemFailures it
   * returns the first record not counted; otherwise it throws RecordsNotCountedError, so
   * that a mapping without ReportBatchItemFailures retries instead of dropping records.
   */
  handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { batchItemFailures, error } = await this.processRecords(event.Records);
    const reportsFailures = this.options.reportBatchItemFailures ?? process.env[REPORT_BATCH_ITEM_FAILURES_ENV] === 'true';
    const failed = batchItemFailures[0];
    if (failed !== undefined && !reportsFailures) throw new RecordsNotCountedError(failed.itemIdentifier, event.Records.length, error);
    return { batchItemFailures };
  };

  /** The handler's work on records of either shape (Lambda's or the Streams API's). */
  processRecords = (records: readonly StreamRecord[]): Promise<ProcessRecordsResult> =>
    processRecords(records, {
      dynamoDBClient: this.options.dynamoDBClient,
      tableName: this.countsTableName,
      imageParser: this.imageParser as ImageParser<EventStore>,
      counters: this.counters,
      retry: this.retry,
      concurrency: this.concurrency,
      logger: this.options.logger ?? console,
    });

  /**
   * Counts every event already in the event table (a new counter, a lost counts table).
   * Safe to run while the live projection runs: each event is counted once either way.
   */
  rebuild = (options: Omit<RebuildOptions, 'dynamoDBClient'> & { dynamoDBClient?: DynamoDBClient }): Promise<ProcessRecordsStats> =>
    rebuildCounts({ dynamoDBClient: this.options.dynamoDBClient, ...options }, (records) => this.processRecords(records));

  /**
   * Counts `by` once for this targetRef, however often it is called. `counted` is false
   * when the ref was already counted. `timestamp` places it in the window buckets (default now).
   */
  increment = async ({
    counterName,
    key,
    by = 1,
    targetRef,
    timestamp = new Date().toISOString(),
  }: {
    counterName: COUNTERS['name'];
    key: string;
    by?: number;
    targetRef: string;
    timestamp?: string;
  }): Promise<{ counted: boolean }> => {
    const counter = this.counterNamed(counterName);
    if (!isIsoTimestamp(timestamp)) {
      throw new InvalidIncrementError({ counterName, field: 'timestamp', value: timestamp, expected: 'an ISO-8601 UTC timestamp' });
    }
    const [chunks] = packTransactions([toIncrement({ counter, key, by, targetRef, timestamp, position: 0 })]);
    const { counted } = await commitTransaction({
      dynamoDBClient: this.options.dynamoDBClient,
      tableName: this.countsTableName,
      chunks: chunks ?? [],
      retry: this.retry,
    });
    return { counted: counted.length > 0 };
  };

  /** The all-time count (or a window bucket's); 0 when never counted. */
  getCount = (counterName: COUNTERS['name'], key: string, options: WindowOptions & { consistentRead?: boolean } = {}): Promise<number> =>
    getCount(
      { dynamoDBClient: this.options.dynamoDBClient, tableName: this.countsTableName, ...(options.consistentRead !== undefined ? { consistentRead: options.consistentRead } : {}) },
      { counter: this.counterNamed(counterName), key, ...windowOf(options) },
    );

  /** The count as a bigint, exact however large (getCount refuses counts beyond 2^53 rather than round them). */
  getExactCount = (counterName: COUNTERS['name'], key: string, options: WindowOptions & { consistentRead?: boolean } = {}): Promise<bigint> =>
    getExactCount(
      { dynamoDBClient: this.options.dynamoDBClient, tableName: this.countsTableName, ...(options.consistentRead !== undefined ? { consistentRead: options.consistentRead } : {}) },
      { counter: this.counterNamed(counterName), key, ...windowOf(options) },
    );

  /** Many counts at once, in the order asked. */
  getCounts = (targets: ({ counterName: COUNTERS['name']; key: string } & WindowOptions)[]): Promise<number[]> =>
    getCounts(
      { dynamoDBClient: this.options.dynamoDBClient, tableName: this.countsTableName, retry: this.retry },
      targets.map(({ counterName, key, ...options }) => ({ counter: this.counterNamed(counterName), key, ...windowOf(options) })),
    );

  /** The non-empty buckets of a window between two times, inclusive, oldest first. */
  getWindowedCounts = (
    counterName: COUNTERS['name'],
    key: string,
    range: { window: CounterWindow; from: string | Date; to: string | Date },
  ): Promise<{ bucket: string; count: number }[]> =>
    getWindowedCounts(
      { dynamoDBClient: this.options.dynamoDBClient, tableName: this.countsTableName },
      { counter: this.counterNamed(counterName), key, ...range },
    );

  /** The refs counted for a counter key (the audit trail), paginated. */
  listCountedRefs = (
    counterName: COUNTERS['name'],
    key: string,
    options: { limit?: number; pageToken?: string } = {},
  ): Promise<{ refs: CountedRef[]; nextPageToken?: string }> =>
    listCountedRefs(
      { dynamoDBClient: this.options.dynamoDBClient, tableName: this.countsTableName },
      { counter: this.counterNamed(counterName), key, ...options },
    );
}

const windowOf = ({ window, bucket }: WindowOptions) => ({
  ...(window !== undefined ? { window } : {}),
  ...(bucket !== undefined ? { bucket } : {}),
});

const retryOptions = (retry: Partial<RetryOptions> = {}): RetryOptions => ({
  maxAttempts: integerOption('retry.maxAttempts', retry.maxAttempts, { min: 1, defaultValue: DEFAULT_RETRY_OPTIONS.maxAttempts }),
  baseDelayMs: integerOption('retry.baseDelayMs', retry.baseDelayMs, { min: 0, defaultValue: DEFAULT_RETRY_OPTIONS.baseDelayMs }),
  maxDelayMs: integerOption('retry.maxDelayMs', retry.maxDelayMs, { min: 0, defaultValue: DEFAULT_RETRY_OPTIONS.maxDelayMs }),
});
