import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';

import type { Counter } from '../counterProjection/index.js';
import type { StreamRecord } from '../imageParser/index.js';
import { errorMessageOf, integerOption } from '../shared/index.js';
import { answerLambda, errorCodeOf } from '../streamBatch/index.js';
import type { CrossingLimits } from './crossings.js';
import { processReactions, type ProcessReactionsResult } from './processReactions.js';
import type { Reaction } from './reaction.js';

export interface CounterReactionsOptions<COUNTERS extends Counter> {
  /** The counters whose thresholds, floors and targets are watched (those of the projection). */
  counters: readonly COUNTERS[];
  /** What happens when a (counter, key) reaches one: `pushEventReaction(...)` or your callback. */
  react: Reaction<COUNTERS['name']>;
  /** Items reacted to at once in a batch (default 4). */
  concurrency?: number;
  /** As the projection's: declare the mapping's ReportBatchItemFailures. */
  reportBatchItemFailures?: boolean;
  /** Where a failed batch is said; console.error when absent. */
  logger?: { error: (message: string, attributes: Record<string, unknown>) => void };
}

/**
 * Reacts when a count reaches a threshold, a floor or its target, from the counts table's
 * stream (NEW_AND_OLD_IMAGES): a Lambda handler, or `processRecords` for the stream runner.
 * Each crossing is read from one write's old and new image, so it is exact whatever that
 * write added; with `pushEventReaction` it fires once whatever the streams redeliver.
 */
export class CounterReactions<COUNTERS extends Counter> {
  private readonly limitsByCounter: ReadonlyMap<string, CrossingLimits>;
  private readonly concurrency: number;

  constructor(private readonly options: CounterReactionsOptions<COUNTERS>) {
    this.limitsByCounter = new Map(
      options.counters.map(({ name, thresholds, floors }) => [name, { thresholds, floors }]),
    );
    this.concurrency = integerOption('concurrency', options.concurrency, {
      min: 1,
      max: 100,
      defaultValue: 4,
    });
  }

  /** The Lambda handler for the counts table's stream (as the projection's: see reportBatchItemFailures). */
  handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> =>
    answerLambda(await this.processRecords(event.Records), {
      records: event.Records.length,
      reportBatchItemFailures: this.options.reportBatchItemFailures,
      handled: 'reacted to',
    });

  /** The handler's work on records of either shape (Lambda's or the Streams API's). */
  processRecords = async (records: readonly StreamRecord[]): Promise<ProcessReactionsResult> => {
    const result = await processReactions(records, {
      limitsByCounter: this.limitsByCounter,
      react: this.options.react as Reaction,
      concurrency: this.concurrency,
    });
    if (result.error !== undefined) {
      const logger = this.options.logger ?? { error: console.error };
      logger.error('reactions failed', {
        sequenceNumber: result.batchItemFailures[0]?.itemIdentifier,
        recordsFailed: result.stats.failed,
        errorCode: errorCodeOf(result.error),
        errorMessage: errorMessageOf(result.error),
      });
    }
    return result;
  };
}
