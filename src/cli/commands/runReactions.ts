import { DynamoDBSingleTableEventStorageAdapter } from '../../adapter/index.js';
import type { Counter } from '../../counterProjection/index.js';
import {
  CounterReactions,
  pushEventReaction,
  type ReactionEventType,
} from '../../counterReactions/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import type { Connection } from '../connection.js';
import { out } from '../io.js';
import type { CountersModule } from '../loadCountersModule.js';

export interface ReactionsRunOptions {
  countsTable: string;
  checkpointTable: string;
  consumer: string;
  reactionsTable?: string;
}

/**
 * The second consumer of `run`, when the module exports `reactions`: the counts table's
 * stream, read with its own checkpoint (`<consumer>-reactions`), pushing COUNT_REACHED to
 * the reactions table. Undefined when the module does not react, or this run was not
 * given --reactions-table.
 */
export const reactionsRunner = async ({
  module,
  connection,
  options,
}: {
  module: CountersModule;
  connection: Connection;
  options: ReactionsRunOptions;
}): Promise<StreamRunner | undefined> => {
  const { reactions } = module;
  if (reactions === undefined) return undefined;
  if (options.reactionsTable === undefined) {
    // Opt-in per run: several `run`s may share a module, one of them reacting.
    out(
      'The counters module exports `reactions`: pass --reactions-table (the event table their COUNT_REACHED events go to) to react as well; counting only.',
    );
    return undefined;
  }
  reactions.eventStore.eventStorageAdapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: options.reactionsTable,
    dynamoDBClient: connection.dynamoDBClient,
  });
  const push = pushEventReaction({
    eventStore: reactions.eventStore,
    eventType: reactions.eventType as ReactionEventType<typeof reactions.eventStore>,
  });
  const counterReactions = new CounterReactions<Counter>({
    counters: module.counters,
    react: async (crossing) => {
      const outcome = await push(crossing);
      if (outcome === 'fired')
        out(
          `Reached: ${crossing.counterName} ${crossing.key} ${crossing.kind} ${crossing.value} (count ${crossing.count}).`,
        );
      return outcome;
    },
  });
  return new StreamRunner({
    dynamoDBClient: connection.dynamoDBClient,
    streamsClient: await connection.streamsClient('run'),
    tableName: options.countsTable,
    checkpointTableName: options.checkpointTable,
    consumerName: `${options.consumer}-reactions`,
    maximumRetryAttempts: -1,
    handler: async (records) => ({
      batchItemFailures: (await counterReactions.processRecords(records)).batchItemFailures,
    }),
  });
};
