/** A short, printable form of a value for error messages (values can be huge or binary). */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'string' && value.length > 200)
    return `${JSON.stringify(value.slice(0, 200))}… (${value.length} characters)`;
  let text: string;
  try {
    // undefined for undefined, a function or a symbol, whatever its declared type says.
    const json = JSON.stringify(value) as string | undefined;
    text = json ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
};

/** An error's message, or a printable form of what was thrown when it is not an Error. */
export const errorMessageOf = (error: unknown): string =>
  error instanceof Error ? error.message : describeValue(error);
