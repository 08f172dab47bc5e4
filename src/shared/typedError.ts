/**
 * Base of every error this library throws. Like Castore, callers recognise errors by
 * their stable `code` (a string constant exported next to each error, and an `isX`
 * guard), not by class: classes are not shared between two copies of a package, codes are.
 *
 * One shape for all of them: the constructor takes one object of typed fields, each kept
 * as a top-level readonly property, and the message says what was wrong and what to do.
 * The error classes repeat that shape on purpose (fields declared, then assigned), and
 * `duplicates` lists them as same-shape pairs: a generic class factory would hide each
 * error's fields from its reader and from the published type declarations.
 */
export abstract class TypedError<CODE extends string = string> extends Error {
  abstract readonly code: CODE;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Narrows `error` to the error whose `code` is `code`, whichever copy of the class made it. */
export const hasErrorCode = <CODE extends string>(
  error: unknown,
  code: CODE,
): error is { code: CODE } & Error =>
  error instanceof Error && (error as { code?: unknown }).code === code;
