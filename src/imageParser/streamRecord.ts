import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord as LambdaRecord } from 'aws-lambda';

/**
 * A record as the DynamoDB Streams API returns it: the shape of the SDK's `_Record`, written
 * here so that a TypeScript user who does not install the optional
 * `@aws-sdk/client-dynamodb-streams` can still compile against the package (the SDK's
 * records are assignable to it and back; a type test checks both ways).
 */
export interface StreamsApiRecord {
  eventID?: string | undefined;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined;
  eventVersion?: string | undefined;
  eventSource?: string | undefined;
  awsRegion?: string | undefined;
  dynamodb?:
    | {
        ApproximateCreationDateTime?: Date | undefined;
        Keys?: Record<string, AttributeValue> | undefined;
        NewImage?: Record<string, AttributeValue> | undefined;
        OldImage?: Record<string, AttributeValue> | undefined;
        SequenceNumber?: string | undefined;
        SizeBytes?: number | undefined;
        StreamViewType?: 'KEYS_ONLY' | 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | undefined;
      }
    | undefined;
  userIdentity?: { PrincipalId?: string | undefined; Type?: string | undefined } | undefined;
}

/** A stream record as Lambda delivers it, or as the DynamoDB Streams API returns it. */
export type StreamRecord = LambdaRecord | StreamsApiRecord;
export type { LambdaRecord };

/** The fields both shapes share, which is all the parser reads. */
export interface StreamRecordFields {
  eventName: unknown;
  sequenceNumber: string | undefined;
  newImage: unknown;
  /** The item's key attributes (`dynamodb.Keys`), as they came. */
  keys: unknown;
}

export const readRecordFields = (record: StreamRecord): StreamRecordFields => {
  const dynamodb = (
    record as { dynamodb?: { SequenceNumber?: unknown; NewImage?: unknown; Keys?: unknown } } | null
  )?.dynamodb;
  const sequenceNumber = dynamodb?.SequenceNumber;
  return {
    eventName: (record as { eventName?: unknown } | null)?.eventName,
    sequenceNumber: typeof sequenceNumber === 'string' ? sequenceNumber : undefined,
    newImage: dynamodb?.NewImage,
    keys: dynamodb?.Keys,
  };
};

// Stream sequence numbers are 21 to 40 digits (the Streams API's StreamRecord).
const SEQUENCE_NUMBER = /^\d{21,40}$/;
const SORTABLE_DIGITS = 40;

/**
 * A sequence number as 40 digits, left-padded: as strings (DynamoDB's `<` on S attributes,
 * JavaScript's) they then sort as the numbers do. Undefined for one out of shape.
 */
export const sortableSequenceNumber = (sequenceNumber: unknown): string | undefined =>
  typeof sequenceNumber === 'string' && SEQUENCE_NUMBER.test(sequenceNumber)
    ? sequenceNumber.padStart(SORTABLE_DIGITS, '0')
    : undefined;

/**
 * The sequence number a sortable one stands for: its padding removed, down to the 21 digits a
 * sequence number has at least (DynamoDB Local's start with zeros), so that it reads back as one.
 */
export const fromSortableSequenceNumber = (sortable: string): string =>
  sortable.replace(/^0+(?=\d{21})/, '');

const MAX_DATE_MS = 8.64e15;

/**
 * When the record was written, in epoch ms: Lambda gives ApproximateCreationDateTime in
 * epoch seconds, the Streams API a Date. Undefined when absent or unreadable.
 */
export const recordCreatedAtMs = (record: StreamRecord | null | undefined): number | undefined => {
  const time = (record as { dynamodb?: { ApproximateCreationDateTime?: unknown } } | null)?.dynamodb
    ?.ApproximateCreationDateTime;
  const ms = typeof time === 'number' ? time * 1000 : time instanceof Date ? time.getTime() : NaN;
  // Beyond ±8.64e15 ms a Date is invalid (toISOString throws): no time either.
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
};

/** How long ago the oldest of these records was written: undefined when none says. */
export const oldestRecordAgeMs = (
  records: readonly StreamRecord[],
  now: Date,
): number | undefined => {
  const created = records
    .map(recordCreatedAtMs)
    .filter((time): time is number => time !== undefined);
  return created.length === 0 ? undefined : Math.max(0, now.getTime() - Math.min(...created));
};
