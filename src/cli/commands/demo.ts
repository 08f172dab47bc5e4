import { defineCommand } from '../command.js';
import type { DemoOptions } from '../demo/demoOptions.js';
import { loadForCommand } from '../frame/loadForCommand.js';
import { endpointOption, positiveInteger } from '../options.js';

/**
 * `demo`: the whole pipeline on an embedded DynamoDB Local (or --endpoint), every count
 * checked (`demo/runDemo.ts`).
 */
export const demo = defineCommand({
  path: ['demo'],
  define: (command) =>
    command
      .description(
        'run the whole pipeline on an embedded DynamoDB Local (or --endpoint) and check every count',
      )
      .option('--events <n>', 'how many events to push', positiveInteger, 5_000)
      .option('--concurrency <n>', 'pushes in flight', positiveInteger, 16)
      .option('--seed <n>', 'seed of the workload', positiveInteger, 42)
      .option(
        '--port <n>',
        'port of the embedded DynamoDB Local (a free one when absent)',
        positiveInteger,
      )
      .addOption(endpointOption())
      .option('--keep', 'with --endpoint: keep the tables of the run (dropped by default)'),
  action: async (options: DemoOptions) => {
    // The example's stores first, then the runner: each missing peer is named in that order,
    // whichever the module loader would have reached first.
    const { runDemo } = await loadForCommand('demo', async () => {
      await import('../../example/index.js');
      return import('../demo/runDemo.js');
    });
    return runDemo(options);
  },
});
