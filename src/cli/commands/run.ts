// In a file of its own: the stream runner loads @aws-sdk/client-dynamodb-streams (an
// optional peer), which rebuild and the counts commands do not need.
import { emfMetrics, type ProjectionMetrics } from '../../counterProjection/index.js';
import { StreamRunner } from '../../streamRunner/index.js';
import { err, out } from '../io.js';
import { liveProgress } from '../progressLine.js';
import { type ProjectionOptions, withProjection } from './project.js';
import { reactionsRunner } from './runReactions.js';

/**
 * `run`: projects the live stream with the module's counters until stopped (Ctrl-C);
 * resolves to the exit code: 1 when stopped while a batch was still failing.
 */
export const runCommand = async (
  options: ProjectionOptions & {
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
  },
): Promise<number> => {
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
      out(
        `Projecting the stream of ${options.eventTable} into ${options.countsTable}${reactions === undefined ? '' : `, and reacting to the stream of ${options.countsTable} into ${options.reactionsTable}`}; Ctrl-C stops after the batch in flight.`,
      );
      return untilStopped(runner, reactions);
    },
    // Like the runner, run rides out a DynamoDB that is restarting while it starts.
    { rideOutOutages: true, metrics },
  );
};

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

/** Runs the projection (and the reactions) until stopped; 1 when a batch was still failing. */
const untilStopped = async (
  runner: StreamRunner,
  reactions: { run: () => Promise<unknown> } | undefined,
): Promise<number> => {
  // The runner stops on the first signal; say so at once, since the batch in flight (or
  // a failing one's retry wait) may take a moment. A second signal, unhandled, quits.
  const onSignal = () => out('Stopping after the batch in flight; Ctrl-C again quits at once.');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const [{ committed, abandonedBatches }] = await Promise.all([runner.run(), reactions?.run()]);
    out(`Stopped after committing ${committed} records.`);
    if (abandonedBatches === 0) return 0;
    err(
      'Stopped while a batch was still failing: it was not checkpointed, and the next run starts from it (the failure is said above).',
    );
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};
