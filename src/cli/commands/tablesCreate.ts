import { CounterError } from '../../shared/index.js';
import { defineCommand } from '../command.js';
import { type ConnectionOptions, withConnection } from '../frame/withConnection.js';
import { out } from '../io.js';
import { endpointOption } from '../options.js';
import { createTables, type TableNames } from '../tables/createTables.js';

/** `tables create`: the tables named (the event table, the counts table, the runner's checkpoint table). */
export const tablesCreate = defineCommand({
  path: ['tables', 'create'],
  define: (command) =>
    command
      .description(
        'create the tables named: the event table (with its stream), the counts table, the checkpoint table',
      )
      .option('--event-table <name>')
      .option('--counts-table <name>')
      .option('--checkpoint-table <name>')
      .option(
        '--reactions',
        'give the counts table the stream reactions read (thresholds, targets)',
      )
      .addOption(endpointOption()),
  action: async (options: TableNames & ConnectionOptions) => {
    assertSomethingToCreate(options);
    await withConnection(options, async ({ dynamoDBClient }) => {
      for (const line of await createTables(dynamoDBClient, options)) out(line);
    });
    return 0;
  },
});

/** Refuses a call that names no table, or --reactions without the counts table it is for. */
const assertSomethingToCreate = (names: TableNames) => {
  const given = [names.eventTable, names.countsTable, names.checkpointTable];
  if (given.every((name) => name === undefined))
    throw new CounterError('CliUsage', {
      explanation:
        'tables create needs at least one of --event-table, --counts-table and --checkpoint-table: it creates the tables it is given.',
    });
  if (names.reactions === true && names.countsTable === undefined)
    throw new CounterError('CliUsage', {
      explanation: '--reactions gives the counts table its stream: pass --counts-table with it.',
    });
};
