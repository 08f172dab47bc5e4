import { Option } from 'commander';

import { emfMetrics, type ProjectionMetrics } from '../../counterProjection/index.js';
import { countOf } from '../../shared/index.js';
import type { StreamRunner, StreamRunnerProgress } from '../../streamRunner/index.js';
import { defineCommand } from '../command.js';
import { streamRunnerModule } from '../frame/optionalModules.js';
import { type ProjectionOptions, withProjection } from '../frame/withProjection.js';
import { err, out } from '../io.js';
import { countersOption, endpointOption, positiveInteger } from '../options.js';
import { liveProgress } from '../output/progressLine.js';
import { reactionsRunner } from '../run/reactionsRunner.js';

type RunOptions = ProjectionOptions & {
  eventTable: string;
  checkpointTable: string;
  consumer: string;
  from: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  batchingWindow: number;
  maxRetries: number;
  reactionsTable?: string;
  metricsNamespace?: string;
  metricsService?: string;
  untilCaughtUp?: boolean;
};

const runProjection = async (options: RunOptions): Promise<number> => {
  const { StreamRunner } = await streamRunnerModule('run');
  const metrics = metricsOf(options);
  return withProjection(
    options,
    async (projection, connection, module) => {
      const reactions = await reactionsRunner({ module, connection, options });
      const runner = new StreamRunner({
        dynamoDBClient: connection.dynamoDBClient,
        streamsClient: await connection.streamsClient('run'),
        tableName: options.eventTable,
        checkpointTableName: options.checkpointTable,
        consumerName: options.consumer,
        startingPosition: options.from,
        batchSize: options.batchSize,
        maximumBatchingWindowMs: options.batchingWindow,
        // No dead letter here: past its retries a failing batch stops the run
        // (UndeliverableRecords), nothing skipped; the next run starts from its checkpoint.
        maximumRetryAttempts: options.maxRetries,
        handler: (records, batch) => projection.processRecords(records, batch),
        onProgress: liveProgress(),
      });
      return untilStopped(
        runner,
        reactions,
        options.untilCaughtUp === true,
        `Projecting the stream of ${options.eventTable} into ${options.countsTable}${reactions === undefined ? '' : `, and reacting to the stream of ${options.countsTable} into ${options.reactionsTable}`}${options.untilCaughtUp === true ? ' until caught up' : ''}; Ctrl-C stops after the batch in flight.`,
      );
    },
    // Like the runner, run rides out a DynamoDB that is restarting while it starts.
    { rideOutOutages: true, metrics },
  );
};

/**
 * `run`: projects the live stream with the module's counters until stopped (Ctrl-C), or
 * with --until-caught-up until every shard is read to its current end; resolves to the
 * exit code: 1 when stopped while a batch was still failing, or before catching up.
 */
export const run = defineCommand({
  path: ['run'],
  define: (command) =>
    command
      .description(
        'project the live stream of the event table with your counters, until stopped (or caught up)',
      )
      .addOption(countersOption())
      .requiredOption('--event-table <name>')
      .requiredOption('--counts-table <name>')
      .requiredOption('--checkpoint-table <name>')
      .option('--consumer <name>', 'checkpoint name, one per projection', 'default')
      .addOption(
        new Option('--from <position>', 'where to start without a checkpoint')
          .choices(['TRIM_HORIZON', 'LATEST'])
          .default('TRIM_HORIZON'),
      )
      .option('--batch-size <n>', 'records per handler call', positiveInteger, 500)
      .option(
        '--max-retries <n>',
        'retries of a failing batch (with backoff, up to 5 s apart) before the run stops, nothing skipped (-1: until it succeeds)',
        (v) => (v === '-1' ? -1 : positiveInteger(v)),
        10,
      )
      .option(
        '--batching-window <ms>',
        'how long to gather records before a smaller batch (Lambda: MaximumBatchingWindow)',
        (v) => (v === '0' ? 0 : positiveInteger(v)),
        0,
      )
      .option(
        '--until-caught-up',
        'stop once every shard is read to its current end (and, with --reactions-table, the counts table stream after it), exit 0',
      )
      .option(
        '--reactions-table <name>',
        'when the module exports `reactions`, react as well: the event table their COUNT_REACHED events go to (the counts table needs its stream: tables create --reactions)',
      )
      .option(
        '--metrics-namespace <name>',
        "publish the projection's metrics per batch (OldestRecordAge, RecordsFailed, …) in CloudWatch's Embedded Metric Format on stdout, as a Lambda handler does",
      )
      .option(
        '--metrics-service <name>',
        "with --metrics-namespace: the metrics' service dimension (default: the consumer)",
      )
      .addOption(endpointOption()),
  action: runProjection,
});

/**
 * With --metrics-namespace, the projection's metrics per batch as a Lambda handler publishes
 * them: EMF lines on stdout, which CloudWatch Logs turns into metrics (in ECS through the
 * awslogs driver), so that a runner has the lag and failure alarms a Lambda has.
 */
const metricsOf = (options: {
  consumer: string;
  metricsNamespace?: string;
  metricsService?: string;
}): ProjectionMetrics | undefined =>
  options.metricsNamespace === undefined
    ? undefined
    : emfMetrics({
        namespace: options.metricsNamespace,
        serviceName: options.metricsService ?? options.consumer,
      });

/**
 * Runs the projection (and the reactions) until stopped; with `untilCaughtUp`, the
 * projection to the end of its stream, then the reactions to the end of theirs (which
 * the projection's writes made). 1 when a batch was still failing, or stopped before
 * catching up.
 */
const untilStopped = async (
  runner: StreamRunner,
  reactions: StreamRunner | undefined,
  untilCaughtUp: boolean,
  started: string,
): Promise<number> => {
  // The runner stops on the first signal; say so at once, since the batch in flight (or
  // a failing one's retry wait) may take a moment. A second signal, unhandled, quits.
  const onSignal = () => out('Stopping after the batch in flight; Ctrl-C again quits at once.');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Said once a signal is handled: whoever stops the task on seeing it (ECS, a test) never
  // kills it mid-start (a SIGTERM in between ended it with no exit code, seen in CI).
  out(started);
  try {
    const { committed, abandonedBatches, caughtUp } = await (untilCaughtUp
      ? runInTurn(runner, reactions)
      : Promise.all([runner.run(), reactions?.run()]).then(([projected]) => projected));
    const notCaughtUp = untilCaughtUp && !caughtUp;
    out(
      `${untilCaughtUp && caughtUp ? 'Caught up' : 'Stopped'} after committing ${countOf(committed, 'record')}.`,
    );
    if (abandonedBatches > 0)
      err(
        'Stopped while a batch was still failing: it was not checkpointed, and the next run starts from it (the failure is said above).',
      );
    else if (notCaughtUp)
      err('Stopped before catching up: the next run starts from its checkpoints.');
    return abandonedBatches > 0 || notCaughtUp ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

/** The projection to the end of its stream, then (once it got there) the reactions to the end of theirs. */
const runInTurn = async (
  runner: StreamRunner,
  reactions: StreamRunner | undefined,
): Promise<StreamRunnerProgress> => {
  const projected = await runner.run({ untilCaughtUp: true });
  if (!projected.caughtUp || reactions === undefined) return projected;
  const reacted = await reactions.run({ untilCaughtUp: true });
  return { ...projected, caughtUp: reacted.caughtUp };
};
