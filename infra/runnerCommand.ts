import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';

import { CounterError, integerOption } from '../src/shared/index.js';
import type { PipelineMetricsSettings } from './alarms.js';

/** What the runner's command is made of: the service's settings that `run` takes. */
export interface RunnerCommandSettings {
  countersModule: string;
  entryPoint?: string[];
  consumerName?: string;
  batchSize?: number;
  batchingWindow?: Duration;
}

export const DEFAULT_ENTRY_POINT = ['./node_modules/.bin/castore-dynamodb-counter'];

/**
 * Checks, at synth, what `run` would refuse at start (the task would stop and restart for
 * ever): an empty module, consumer or entry point, a batch size or window out of range.
 */
export const checkRunnerSettings = (settings: RunnerCommandSettings) => {
  for (const [option, value] of [
    ['countersModule', settings.countersModule],
    ['consumerName', settings.consumerName],
  ] as const)
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw new CounterError('InvalidOption', { option, value, expected: 'a non-empty string' });
  const { entryPoint } = settings;
  if (entryPoint !== undefined && (entryPoint.length === 0 || entryPoint.some((p) => !p.trim())))
    throw new CounterError('InvalidOption', {
      option: 'entryPoint',
      value: entryPoint,
      expected: `the CLI in the image, e.g. ${JSON.stringify(DEFAULT_ENTRY_POINT)}`,
    });
  return {
    batchSize: integerOption('batchSize', settings.batchSize, {
      min: 1,
      max: 10_000,
      defaultValue: 500,
    }),
    batchingWindowMs: integerOption('batchingWindow', settings.batchingWindow?.toMilliseconds(), {
      min: 0,
      max: 300_000,
      defaultValue: 0,
    }),
  };
};

/** `castore-dynamodb-counter run` on the tables given, its options checked. */
export const runnerCommand = (
  settings: RunnerCommandSettings & { metrics: Required<PipelineMetricsSettings> },
  tables: {
    eventTable: ITable;
    countsTable: ITable;
    checkpointTable: ITable;
    reactionsTable?: ITable | undefined;
  },
): string[] => {
  const { batchSize, batchingWindowMs } = checkRunnerSettings(settings);
  return [
    'run',
    '--counters',
    settings.countersModule,
    '--event-table',
    tables.eventTable.tableName,
    '--counts-table',
    tables.countsTable.tableName,
    '--checkpoint-table',
    tables.checkpointTable.tableName,
    ...(tables.reactionsTable !== undefined
      ? ['--reactions-table', tables.reactionsTable.tableName]
      : []),
    '--consumer',
    settings.consumerName ?? 'default',
    '--batch-size',
    String(batchSize),
    '--batching-window',
    String(batchingWindowMs),
    '--metrics-namespace',
    settings.metrics.namespace,
    '--metrics-service',
    settings.metrics.serviceName,
  ];
};
