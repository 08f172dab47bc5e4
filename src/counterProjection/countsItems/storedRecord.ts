import type { StreamRecord } from '../../imageParser/index.js';

// A stream record set aside is stored as JSON. Plain JSON would lose two kinds of values the
// SDK gives: binary attributes (B, BS: Uint8Arrays, which JSON turns into objects of bytes)
// and the Streams API's ApproximateCreationDateTime (a Date, which JSON turns into a string).
// Both are written tagged and read back as they were, so that countSetAside counts the
// record as the stream gave it.
const BINARY = '$binary';
const DATE = '$date';

/** The record as stored in its set-aside item. */
export const encodeStoredRecord = (record: StreamRecord): string =>
  JSON.stringify(record, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    if (original instanceof Uint8Array)
      return { [BINARY]: Buffer.from(original).toString('base64') };
    if (original instanceof Date) return { [DATE]: original.toISOString() };
    return value;
  });

const isTagged = (value: unknown, tag: string): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length === 1 &&
  typeof (value as Record<string, unknown>)[tag] === 'string';

/** The record as it was set aside. */
export const decodeStoredRecord = (stored: string): StreamRecord =>
  JSON.parse(stored, (_key, value: unknown) => {
    if (isTagged(value, BINARY))
      return new Uint8Array(Buffer.from(value[BINARY] as string, 'base64'));
    if (isTagged(value, DATE)) return new Date(value[DATE] as string);
    return value;
  }) as StreamRecord;
