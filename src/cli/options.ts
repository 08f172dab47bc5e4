import { type Command, InvalidArgumentError, Option } from 'commander';

import { COUNTER_WINDOWS } from '../counterProjection/index.js';
import type { ProjectionOptions } from './frame/withProjection.js';

/** The options several commands share. */
export const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected an integer >= 1.');
  return parsed;
};

export const endpointOption = () =>
  new Option(
    '--endpoint <url>',
    'a running DynamoDB (Local or compatible); AWS (usual AWS environment) when absent',
  ).env('DYNAMODB_ENDPOINT');
export const countersOption = () =>
  new Option(
    '--counters <module>',
    'a module exporting `counters` and `sourceEventStores`',
  ).makeOptionMandatory();
/** What the recount flags give. */
export type RecountFlags = ProjectionOptions & {
  eventTable: string;
  segments: number;
  counter?: string[];
};
/** The recount flags as `rebuild` and `verify` take them. */
export const recountInput = ({ eventTable, segments, counter }: RecountFlags) => ({
  eventTableName: eventTable,
  segments,
  ...(counter !== undefined ? { counterNames: counter } : {}),
});
/** The flags of a command that recounts from the event table (`rebuild`, `verify`). */
export const recountOptions = (command: Command, verb: string): Command =>
  command
    .addOption(countersOption())
    .requiredOption('--event-table <name>')
    .requiredOption('--counts-table <name>')
    .option('--counter <name...>', `the counters to ${verb} (all the module's by default)`)
    .option('--segments <n>', 'parallel scan segments of each table read', positiveInteger, 4);
/** The flags of a command that reads a counter's counts (`counts get`, `counts list`). */
export const counterReadOptions = (command: Command): Command =>
  command
    .addOption(countersOption())
    .requiredOption('--counts-table <name>')
    .requiredOption('--counter <name>');
/** The choices are the table of windows' (counterProjection's windowTable.ts). */
export const windowOption = () =>
  new Option('--window <window>', 'a time window of the counter (UTC)').choices(COUNTER_WINDOWS);
