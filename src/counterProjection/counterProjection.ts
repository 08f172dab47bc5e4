import type { EventStore, EventStoreId } from '@castore/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

import { ImageParser, type StreamRecord } from '../imageParser/index.js';
import { CounterError, type RetryOptions } from '../shared/index.js';
import { answerLambda, type BatchContext } from '../streamBatch/index.js';
import { countBatch } from './countBatch.js';
import type { Counter } from './counter.js';
import { countSetAside, type SetAsideReport } from './countSetAside.js';
import { type DirectIncrement, incrementOnce } from './increment.js';
import { type CountedRef, listCountedRefs } from './listCountedRefs.js';
import type { Delivery } from './processRecords.js';
import type { ProcessRecordsResult, ProcessRecordsStats } from './processRecordsResult.js';
import {
  type CounterProjectionOptions,
  countsTableNameOf,
  indexCounters,
  projectionSettings,
} from './projectionOptions.js';
import { getCount, getCounts, getExactCount, getWindowedCounts } from './reads.js';
import { countersNamed, type RebuildInput } from './rebuild.js';
import { setTarget, type TargetInput } from './setTarget.js';
import { rebuildWithMarks, requireShard } from './shardWatermark/index.js';
import { verifyCounts, type VerifyInput, type VerifyReport } from './verify/index.js';
import { type CountTargetOf, windowOf, type WindowOptions, type WindowToRead } from './windows.js';

/**
 * Counts the events of Castore event stores into a counts table, exactly once per
 * (counter, key, targetRef), from the event table's DynamoDB stream (Lambda or any
 * runner) or directly through `increment`. Every method returning a promise is async: a
 * refused argument (an unknown counter, a window it lacks) rejects, never throws.
 */
export class CounterProjection<
  EVENT_STORES extends EventStore,
  COUNTERS extends Counter<EventStoreId<EVENT_STORES>>,
> {
  readonly counters: readonly COUNTERS[];
  readonly imageParser: ImageParser<EVENT_STORES>;
  private readonly options: CounterProjectionOptions<EVENT_STORES, COUNTERS>;
  private readonly countersByName: Map<string, COUNTERS>;
  private readonly retry: RetryOptions;
  private readonly concurrency: number;
  private readonly report: ReturnType<typeof projectionSettings>['report'];

  constructor(options: CounterProjectionOptions<EVENT_STORES, COUNTERS>) {
    this.options = options;
    this.counters = options.counters;
    const { retry, concurrency, unknownEventStores, report } = projectionSettings(options);
    this.retry = retry;
    this.concurrency = concurrency;
    this.imageParser = new ImageParser({
      sourceEventStores: options.sourceEventStores,
      unknownEventStores,
    });
    this.countersByName = indexCounters(options.counters, this.imageParser);
    this.report = report;
  }

  /** The client and counts table every action takes, with the retry options for writes. */
  private get table() {
    const { dynamoDBClient, countsTableName } = this.options;
    return { dynamoDBClient, tableName: countsTableNameOf(countsTableName), retry: this.retry };
  }

  private readContext = (consistentRead: boolean | undefined) => ({
    ...this.table,
    ...(consistentRead !== undefined ? { consistentRead } : {}),
  });

  private counterNamed(counterName: COUNTERS['name']): COUNTERS {
    const counter = this.countersByName.get(counterName);
    const knownCounters = [...this.countersByName.keys()];
    if (counter === undefined)
      throw new CounterError('UnknownCounter', { counterName, knownCounters });
    return counter;
  }

  /**
   * The Lambda handler for the event table's stream. With reportBatchItemFailures it
   * returns the first record not counted; otherwise it throws RecordsNotHandledError, so
   * that a mapping without ReportBatchItemFailures retries instead of dropping records.
   */
  handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    answerLambda(await this.processRecords(event.Records), {
      records: event.Records.length,
      reportBatchItemFailures: this.options.reportBatchItemFailures,
    });

  /**
   * The handler's work on records of either shape (Lambda's or the Streams API's); logs
   * the batch and publishes its metrics when a logger with `info` or metrics are given.
   */
  processRecords = async (
    records: readonly StreamRecord[],
    /** Where the batch comes from (the stream runner passes it): shardWatermark counters need it. */
    batch?: BatchContext,
  ): Promise<ProcessRecordsResult> => this.countBatch(records, batch);

  private countBatch = async (
    records: readonly StreamRecord[],
    batch?: Delivery,
    counters: readonly COUNTERS[] = this.counters,
  ) => countBatch(records, { ...this.countingContext, counters }, batch, this.report);

  private get countingContext() {
    const { counters, concurrency, table } = this;
    const imageParser = this.imageParser as ImageParser<EventStore>;
    return { ...table, imageParser, counters, concurrency };
  }

  /** Counts through refs the records set aside by shardWatermark batches: call it once fixed. */
  countSetAside = async (): Promise<SetAsideReport> => countSetAside(this.countingContext);

  /** Every event of the event table counted again into the counters named (all by default): see RebuildInput. */
  rebuild = async (options: RebuildInput<COUNTERS['name']>): Promise<ProcessRecordsStats> => {
    const counters = countersNamed(this.counters, options.counterNames);
    return rebuildWithMarks(
      { ...this.table, counters },
      { dynamoDBClient: this.options.dynamoDBClient, ...options },
      async (records) => this.countBatch(records, { delivery: 'rebuild' }, counters),
    );
  };

  /** The counters named (all by default) recounted from the event table and compared with the counts table: reads only. */
  verify = async (options: VerifyInput<COUNTERS['name']>): Promise<VerifyReport> =>
    verifyCounts(this.countingContext, options);

  /** Counts `by` once per targetRef (`counted`: false when counted before); `timestamp` places it in windows. */
  increment = async ({
    counterName,
    ...increment
  }: { counterName: COUNTERS['name'] } & DirectIncrement): Promise<{ counted: boolean }> => {
    const counter = this.counterNamed(counterName);
    requireShard([counter], undefined, { setting: 'DirectIncrement' });
    return incrementOnce(this.table, { counter, ...increment });
  };

  /**
   * Sets the target of a counter key (e.g. the items an order expects), stored with its
   * count: CounterReactions fire once when the count reaches it, at once when it already has.
   */
  setTarget = async ({
    counterName,
    ...target
  }: { counterName: COUNTERS['name'] } & TargetInput): Promise<void> =>
    setTarget(this.table, { counter: this.counterNamed(counterName), ...target });

  // The read methods below stay separate, explicitly typed: each is public API.
  /** The all-time count (or a window bucket's); 0 when never counted. */
  getCount = async <NAME extends COUNTERS['name']>(
    counterName: NAME,
    key: string,
    options: WindowOptions<WindowToRead<COUNTERS, NAME>> & { consistentRead?: boolean } = {},
  ): Promise<number> =>
    getCount(this.readContext(options.consistentRead), {
      counter: this.counterNamed(counterName),
      key,
      ...windowOf(options),
    });

  /** The count as a bigint, exact however large (getCount refuses counts beyond 2^53 rather than round them). */
  getExactCount = async <NAME extends COUNTERS['name']>(
    counterName: NAME,
    key: string,
    options: WindowOptions<WindowToRead<COUNTERS, NAME>> & { consistentRead?: boolean } = {},
  ): Promise<bigint> =>
    getExactCount(this.readContext(options.consistentRead), {
      counter: this.counterNamed(counterName),
      key,
      ...windowOf(options),
    });

  /** Many counts at once, in the order asked. */
  getCounts = async (targets: CountTargetOf<COUNTERS>[]): Promise<number[]> =>
    getCounts(
      this.table,
      targets.map(({ counterName, key, ...options }) => ({
        counter: this.counterNamed(counterName),
        key,
        ...windowOf(options),
      })),
    );

  /** The non-empty buckets of a window between two times, inclusive, oldest first. */
  getWindowedCounts = async <NAME extends COUNTERS['name']>(
    counterName: NAME,
    key: string,
    range: { window: WindowToRead<COUNTERS, NAME>; from: string | Date; to: string | Date },
  ): Promise<{ bucket: string; count: number }[]> =>
    getWindowedCounts(this.table, { counter: this.counterNamed(counterName), key, ...range });

  /** The refs counted for a counter key (the audit trail), paginated. */
  listCountedRefs = async (
    counterName: COUNTERS['name'],
    key: string,
    options: { limit?: number; pageToken?: string } = {},
  ): Promise<{ refs: CountedRef[]; nextPageToken?: string }> =>
    listCountedRefs(this.table, { counter: this.counterNamed(counterName), key, ...options });
}
