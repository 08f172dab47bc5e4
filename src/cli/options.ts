import { InvalidArgumentError, Option } from 'commander';

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
export const windowOption = () =>
  new Option('--window <window>', 'a time window of the counter').choices([
    'minute',
    'hour',
    'day',
  ]);
