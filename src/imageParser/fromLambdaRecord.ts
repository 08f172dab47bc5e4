import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import type { LambdaRecord, StreamsApiRecord } from './streamRecord.js';

type Image = Record<string, AttributeValue>;

/**
 * A record as Lambda delivers it (in its event, or in the payload that an S3 on-failure
 * destination keeps) made the record the Streams API returns, the one shape a stream
 * runner's handler takes: ApproximateCreationDateTime from epoch seconds to a Date, binary
 * attributes (B, BS, at any depth) from base64 to bytes, `userIdentity`'s fields named as
 * the API names them, and Lambda's `eventSourceARN` left out. What `/testing`'s
 * toLambdaRecord does, undone: a handler then counts a record of the S3 destination
 * exactly as the same record read again from the stream.
 */
export const fromLambdaRecord = (record: LambdaRecord): StreamsApiRecord => {
  const { eventSourceARN: _source, dynamodb, ...rest } = record;
  const identity = (record as { userIdentity?: { principalId?: unknown; type?: unknown } | null })
    .userIdentity;
  delete (rest as { userIdentity?: unknown }).userIdentity;
  return {
    ...(rest as Omit<StreamsApiRecord, 'dynamodb' | 'userIdentity'>),
    ...(dynamodb !== undefined ? { dynamodb: streamRecordOf(dynamodb) } : {}),
    ...(identity !== undefined && identity !== null
      ? {
          userIdentity: {
            PrincipalId: stringOrUndefined(identity.principalId),
            Type: stringOrUndefined(identity.type),
          },
        }
      : {}),
  };
};

const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

const streamRecordOf = (
  dynamodb: NonNullable<LambdaRecord['dynamodb']>,
): NonNullable<StreamsApiRecord['dynamodb']> => {
  const { ApproximateCreationDateTime: seconds, Keys, NewImage, OldImage, ...rest } = dynamodb;
  return {
    ...rest,
    ...(typeof seconds === 'number'
      ? { ApproximateCreationDateTime: new Date(seconds * 1000) }
      : {}),
    ...(Keys !== undefined ? { Keys: imageOf(Keys) } : {}),
    ...(NewImage !== undefined ? { NewImage: imageOf(NewImage) } : {}),
    ...(OldImage !== undefined ? { OldImage: imageOf(OldImage) } : {}),
  };
};

const imageOf = (image: Record<string, unknown>): Image =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, valueOf(value)])) as Image;

const bytesOf = (base64: unknown): unknown =>
  typeof base64 === 'string' ? new Uint8Array(Buffer.from(base64, 'base64')) : base64;

const valueOf = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const typed = value as { B?: unknown; BS?: unknown; M?: unknown; L?: unknown };
  if (typed.B !== undefined) return { ...typed, B: bytesOf(typed.B) };
  if (Array.isArray(typed.BS)) return { ...typed, BS: typed.BS.map(bytesOf) };
  if (Array.isArray(typed.L)) return { ...typed, L: typed.L.map(valueOf) };
  if (typeof typed.M === 'object' && typed.M !== null)
    return { ...typed, M: imageOf(typed.M as Record<string, unknown>) };
  return value;
};
