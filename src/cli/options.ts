import { InvalidArgumentError, Option } from 'commander';

import { COUNTER_WINDOWS } from '../counterProjection/index.js';

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
/** The choices are the table of windows' (counterProjection's windowTable.ts). */
export const windowOption = () =>
  new Option('--window <window>', 'a time window of the counter (UTC)').choices(COUNTER_WINDOWS);
