import {
  readRecordFields,
  recordCreatedAtMs,
  sortableSequenceNumber,
  type StreamRecord,
} from '../../imageParser/index.js';
import { CounterError } from '../../shared/index.js';

/** What the marks need of each record of a stream batch, read once. */
export interface RecordFacts {
  /** Each record's sequence number (40 digits, sortable as a string). */
  sortable: string[];
  /** Each record's creation time, epoch seconds (ApproximateCreationDateTime). */
  createdAt: number[];
  /** The first record that has neither, or comes out of order: the batch stops there. */
  stop?: { position: number; error: CounterError };
}

const refuse = (
  counterName: string,
  setting: 'SequenceNumber' | 'NoCreationTime',
  detail: string,
) => new CounterError('WatermarkRefused', { counterName, setting, detail });

/**
 * Reads and checks each record's sequence number (21 to 40 digits, each after the one
 * before: a shard's records come in order, anything else is not a contiguous run, where a
 * mark would skip or count twice) and creation time (when a mark may be forgotten).
 */
export const readRecordFacts = (
  records: readonly StreamRecord[],
  counterName: string,
): RecordFacts => {
  const facts: RecordFacts = { sortable: [], createdAt: [] };
  for (const [position, record] of records.entries()) {
    const { sequenceNumber } = readRecordFields(record);
    const sortable = sortableSequenceNumber(sequenceNumber);
    const previous = facts.sortable[position - 1];
    const createdAtMs = recordCreatedAtMs(record);
    const error =
      sortable === undefined
        ? refuse(
            counterName,
            'SequenceNumber',
            `sequence number ${String(sequenceNumber)} is not 21 to 40 digits.`,
          )
        : previous !== undefined && sortable <= previous
          ? refuse(
              counterName,
              'SequenceNumber',
              `sequence number ${String(sequenceNumber)} does not come after the batch's previous one.`,
            )
          : createdAtMs === undefined
            ? refuse(
                counterName,
                'NoCreationTime',
                `record ${String(sequenceNumber)} has no ApproximateCreationDateTime, which tells when its shard's mark may be forgotten.`,
              )
            : undefined;
    if (error !== undefined) return { ...facts, stop: { position, error } };
    facts.sortable.push(sortable as string);
    facts.createdAt.push(Math.floor((createdAtMs as number) / 1000));
  }
  return facts;
};
