import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface PipelineTables {
  eventTable: string;
  countsTable: string;
  checkpointTable: string;
  /** Where the reactions push COUNT_REACHED, when the run reacts. */
  reactionsTable?: string;
}

/** The CLI's `run` with the demo's counters and reactions, as its own process, retrying forever (no dead letter). */
export const startRunnerProcess = (
  endpoint: string,
  tables: PipelineTables,
  consumer = 'chaos',
): ChildProcess =>
  spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/index.ts',
      'run',
      '--counters',
      'src/example/counters.ts',
      '--event-table',
      tables.eventTable,
      '--counts-table',
      tables.countsTable,
      '--checkpoint-table',
      tables.checkpointTable,
      ...(tables.reactionsTable !== undefined ? ['--reactions-table', tables.reactionsTable] : []),
      '--consumer',
      consumer,
      '--batch-size',
      '200',
      '--batching-window',
      '200',
      '--max-retries',
      '-1',
      '--endpoint',
      endpoint,
    ],
    {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );

export const killProcess = async (
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill(signal);
  await closed;
};
