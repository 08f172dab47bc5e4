import type { CounterErrorCode, CounterErrorFields } from './errorCatalogue.js';
import { errorDefaults, errorMessages } from './errorMessages.js';

export type { CounterErrorCode, CounterErrorFields } from './errorCatalogue.js';

/** The error of one code with its fields, as `isCounterError(error, code)` narrows it. */
export type CounterErrorOf<CODE extends CounterErrorCode> = CounterError<CODE> &
  Readonly<CounterErrorFields[CODE]>;

/**
 * The one error this library throws (EventAlreadyExists with Castore's own code,
 * `EventAlreadyExistsError`, which Castore's `isEventAlreadyExistsError` recognises). Like Castore and dynamodb-toolbox, callers recognise it by its stable
 * `code`, not by class: a class is not shared between two copies of a package, a code is.
 * Each code's fields are top-level properties (`error.option`, `error.reason`...), typed
 * by `isCounterError(error, code)`; its message says what was wrong and what to do; its
 * `name` is `<code>Error` (the code itself when it already ends so).
 */
export class CounterError<CODE extends CounterErrorCode = CounterErrorCode> extends Error {
  readonly code: CODE;

  constructor(code: CODE, fields: CounterErrorFields[CODE] & { cause?: unknown }) {
    const { cause, ...own } = fields;
    const withDefaults = { ...errorDefaults[code], ...own } as CounterErrorFields[CODE];
    const message = (errorMessages[code] as (f: typeof withDefaults, c: unknown) => string)(
      withDefaults,
      cause,
    );
    super(message, 'cause' in fields ? { cause } : undefined);
    this.code = code;
    this.name = code.endsWith('Error') ? code : `${code}Error`;
    Object.assign(this, withDefaults);
  }
}

const CODES: ReadonlySet<string> = new Set(Object.keys(errorMessages));

/**
 * Whether `error` is this library's error (of `code`, when given), whichever copy of the
 * package threw it; narrows it to that code's fields.
 */
export const isCounterError = <CODE extends CounterErrorCode = CounterErrorCode>(
  error: unknown,
  code?: CODE,
): error is CounterErrorOf<CODE> => {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  return typeof actual === 'string' && (code === undefined ? CODES.has(actual) : actual === code);
};
