import type { CountsImage } from './countsAttributes.js';

// A shard's mark in a counts item that a shardWatermark counter writes (its total, each of
// its window buckets): one attribute per stream shard that wrote to the item,
//   w:<shard id without "shardId-">  (w!<shard id> for an id without that prefix)
// holding, as binary, the last sequence number of that shard applied to this item (17 bytes,
// big-endian: DynamoDB compares binaries byte by byte, unsigned, so `<` on them is `<` on the
// numbers) followed by that record's creation time (4 bytes, epoch seconds: when the mark can
// be forgotten). Compact, because an item is billed by its size.

const SEQUENCE_BYTES = 17; // 10^40 < 2^136: any sequence number of up to 40 digits
const TIME_BYTES = 4;
const AWS_PREFIX = 'shardId-';
const MARK_NAME = /^w[:!]/;

/** The attribute that holds a shard's mark in an item. */
export const shardMarkName = (shardId: string): string =>
  shardId.startsWith(AWS_PREFIX) ? `w:${shardId.slice(AWS_PREFIX.length)}` : `w!${shardId}`;

// A batch's records take part in several items' runs: their bytes are computed once.
const recentBytes = new Map<string, Uint8Array>();
const RECENT_BYTES = 4_096;

/** A sequence number (21 to 40 digits, checked by the caller) as the 17 bytes a mark begins with. */
export const sequenceBytes = (sequenceNumber: string): Uint8Array => {
  let bytes = recentBytes.get(sequenceNumber);
  if (bytes !== undefined) return bytes;
  const hex = BigInt(sequenceNumber)
    .toString(16)
    .padStart(SEQUENCE_BYTES * 2, '0');
  bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  if (recentBytes.size >= RECENT_BYTES) recentBytes.clear();
  recentBytes.set(sequenceNumber, bytes);
  return bytes;
};

// A record is the last of several items' runs in a batch (its key's total, its buckets): its
// mark is built once and shared by their updates (a request's values are only read).
const recentMarks = new Map<string, Uint8Array>();

/** A mark: the last applied sequence number and its record's creation time (epoch seconds). */
export const encodeShardMark = (sequenceNumber: string, createdAtSeconds: number): Uint8Array => {
  const time = Math.max(0, createdAtSeconds) >>> 0;
  const recent = recentMarks.get(sequenceNumber);
  if (recent !== undefined && timeOf(recent) === time) return recent;
  const mark = buildMark(sequenceNumber, time);
  if (recentMarks.size >= RECENT_BYTES) recentMarks.clear();
  recentMarks.set(sequenceNumber, mark);
  return mark;
};

const timeOf = (mark: Uint8Array): number =>
  (((mark[SEQUENCE_BYTES] as number) << 24) |
    ((mark[SEQUENCE_BYTES + 1] as number) << 16) |
    ((mark[SEQUENCE_BYTES + 2] as number) << 8) |
    (mark[SEQUENCE_BYTES + 3] as number)) >>>
  0;

const buildMark = (sequenceNumber: string, time: number): Uint8Array => {
  const bytes = new Uint8Array(SEQUENCE_BYTES + TIME_BYTES);
  bytes.set(sequenceBytes(sequenceNumber));
  bytes[SEQUENCE_BYTES] = time >>> 24; // big-endian, as the sequence number
  bytes[SEQUENCE_BYTES + 1] = (time >>> 16) & 0xff;
  bytes[SEQUENCE_BYTES + 2] = (time >>> 8) & 0xff;
  bytes[SEQUENCE_BYTES + 3] = time & 0xff;
  return bytes;
};

export interface ShardMark {
  /** The attribute's name. */
  name: string;
  sequenceNumber: bigint;
  createdAtSeconds: number;
  /** The attribute as stored (a pruning write removes it only if it is still this). */
  value: Uint8Array;
}

const asBytes = (attribute: CountsImage[string]): Uint8Array | undefined => {
  const value = attribute?.B;
  return value instanceof Uint8Array && value.length === SEQUENCE_BYTES + TIME_BYTES
    ? value
    : undefined;
};

const decodeMark = (name: string, value: Uint8Array): ShardMark => {
  let sequenceNumber = 0n;
  for (let index = 0; index < SEQUENCE_BYTES; index++)
    sequenceNumber = (sequenceNumber << 8n) | BigInt(value[index] as number);
  const createdAtSeconds = new DataView(value.buffer, value.byteOffset).getUint32(SEQUENCE_BYTES);
  return { name, sequenceNumber, createdAtSeconds, value };
};

/** The mark an item holds for one shard, or undefined. */
export const shardMarkOf = (
  item: CountsImage | undefined,
  shardId: string,
): ShardMark | undefined => {
  const name = shardMarkName(shardId);
  const value = asBytes(item?.[name]);
  return value === undefined ? undefined : decodeMark(name, value);
};

/** Every shard's mark an item holds (for pruning those no shard can deliver again). */
export const shardMarksOf = (item: CountsImage | undefined): ShardMark[] =>
  Object.entries(item ?? {}).flatMap(([name, attribute]) => {
    const value = MARK_NAME.test(name) ? asBytes(attribute) : undefined;
    return value === undefined ? [] : [decodeMark(name, value)];
  });
