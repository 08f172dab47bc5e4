import { DynamoDBSingleTableEventStorageAdapter } from '../../adapter/index.js';
import type { Counter } from '../../counterProjection/index.js';
import {
  CounterReactions,
  pushEventReaction,
  type ReactionEventType,
} from '../../counterReactions/index.js';
import type { StreamRunner } from '../../streamRunner/index.js';
import type { CountersModule } from '../frame/loadCountersModule.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import type { Connection } from '../frame/withConnection.js';
import { out } from '../io.js';

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
  const note = batchingNote(module.counters);
  if (note !== undefined) out(note);
  const counterReactions = reactingInto({
    reactions,
    counters: module.counters,
    connection,
    reactionsTable: options.reactionsTable,
  });
  const { StreamRunner } = await streamRunnerModule('run');
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

/** The module's reactions, pushing COUNT_REACHED to the reactions table, each said as it fires. */
const reactingInto = ({
  reactions,
  counters,
  connection,
  reactionsTable,
}: {
  reactions: NonNullable<CountersModule['reactions']>;
  counters: readonly Counter[];
  connection: Connection;
  reactionsTable: string;
}) => {
  reactions.eventStore.eventStorageAdapter = new DynamoDBSingleTableEventStorageAdapter({
    tableName: reactionsTable,
    dynamoDBClient: connection.dynamoDBClient,
  });
  const push = pushEventReaction({
    eventStore: reactions.eventStore,
    eventType: reactions.eventType as ReactionEventType<typeof reactions.eventStore>,
  });
  return new CounterReactions<Counter>({
    counters,
    react: async (crossing) => {
      const outcome = await push(crossing);
      if (outcome === 'fired')
        out(
          `Reached: ${crossing.counterName} ${crossing.key} ${crossing.kind} ${crossing.value} (count ${crossing.count}).`,
        );
      return outcome;
    },
  });
};

/**
 * What a user with floors must know before trusting them: crossings are judged per write of
 * a count, and a batch adds its increments in one write. Undefined when no counter has floors.
 */
export const batchingNote = (counters: readonly Counter[]): string | undefined => {
  const withFloors = counters.filter(({ floors }) => floors.length > 0);
  if (withFloors.length === 0) return undefined;
  const names = withFloors.map(({ name, floors }) => `${name} (${floors.join(', ')})`);
  return (
    `Floors of ${names.join(', ')}: reactions judge each write of a count, and a batch adds ` +
    'its increments in one write, so with increments of both signs whether a floor is crossed ' +
    'depends on the batching (a backfill from 0 to 20 in one write never crosses a floor of 25). ' +
    'For event-by-event crossings within a shard, run with --batch-size 1 (one write per event).'
  );
};
