import { InvalidQueryOptionError } from './errors.js';

export const assertOptionalInteger = (option: string, value: unknown, minimum: number): void => {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidQueryOptionError({
      option,
      value,
      expected: `an integer >= ${minimum}, or undefined`,
    });
  }
};
