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

/** A long list said short: its first 3 items and how many more ("1, 2, 3 and 497 more"). */
const firstFew = (items: readonly string[], shown = 3): string => {
  const rest = items.length - shown;
  return rest > 0 ? `${items.slice(0, shown).join(', ')} and ${rest} more` : items.join(', ');
};

/**
 * "Records 1, 2, 3 and 497 more of shard S still fail", "Record 1 of shard S still fails":
 * a failing batch's records in one readable line, whether it holds 1 record or 10,000.
 */
export const stillFailing = (sequenceNumbers: readonly string[], shardId: string): string =>
  sequenceNumbers.length === 1
    ? `Record ${sequenceNumbers[0]} of shard ${shardId} still fails`
    : `Records ${firstFew(sequenceNumbers)} of shard ${shardId} still fail`;
