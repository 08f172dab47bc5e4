import {
  type _Record as StreamsApiRecord,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  LimitExceededException,
  ResourceNotFoundException,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';

/**
 * A stateful DynamoDB Streams API with what AWS does and DynamoDB Local never shows: shards
 * that roll over and split, records trimmed after a retention, iterators that expire,
 * empty pages before data on open shards, and throttling. Time is a logical clock that
 * only `advance` moves, so that a schedule replays the same way. The command classes are
 * the SDK's: the runner sends what it sends to AWS.
 */
export interface SimulatedShard {
  id: string;
  parentId?: string;
  /** The hash range of partition keys written to it while open: [low, high). */
  low: number;
  high: number;
  records: { record: StreamsApiRecord; createdAt: number; emptyPagesBefore: number }[];
  closed: boolean;
  closedAt?: number;
  /** Records with a sequence number below this one were trimmed. */
  trimmedBelow: bigint;
}

const HASH_SPACE = 2 ** 32;
const ITERATOR_LIFE_MS = 15 * 60_000;

export class SimulatedStream {
  now = Date.UTC(2026, 0, 1);
  readonly shards: SimulatedShard[] = [];
  private nextSequenceNumber = 100_000_000_000_000_000_000n; // 21 digits, as DynamoDB's
  private shardCount = 0;
  private readonly parents = new Map<string, string | undefined>();
  private iterators = new Map<
    string,
    { shardId: string; next: bigint; issuedAt: number; emptyServed: number }
  >();
  private throttleNext = 0;
  /** Every call the runner made, for assertions ("GetShardIterator shardId-2 TRIM_HORIZON"). */
  readonly calls: string[] = [];
  readonly stats = { rollovers: 0, splits: 0, trims: 0, expiries: 0, throttled: 0, emptyPages: 0 };

  constructor(
    private readonly options: { retentionMs?: number; shardsPerDescribePage?: number } = {},
  ) {
    this.openShard({ low: 0, high: HASH_SPACE });
  }

  get retentionMs(): number {
    return this.options.retentionMs ?? 24 * 3_600_000;
  }

  /** The stream's time, for the runner's `clock` option. */
  clock = (): Date => new Date(this.now);

  /** Moves the clock on; returns the records trimmed because they fell past the retention. */
  advance = (ms: number): StreamsApiRecord[] => {
    this.now += ms;
    return this.trim();
  };

  /** The parent of a shard, still known once the parent is past the retention and no longer listed. */
  parentOf = (shardId: string): string | undefined => this.parents.get(shardId);

  /** Appends a record to the open shard of its partition key; `emptyPagesBefore` empty pages precede it. */
  write = (
    record: StreamsApiRecord,
    partitionKey: string,
    emptyPagesBefore = 0,
  ): { record: StreamsApiRecord; shardId: string } => {
    const hash = hashOf(partitionKey);
    const shard = this.shards.find(
      (s) => !s.closed && s.low <= hash && hash < s.high,
    ) as SimulatedShard;
    this.nextSequenceNumber += 1n + BigInt(this.shardCount % 7); // gaps, as on AWS
    // Object.assign, not `{ ...record, more }`: that costs ~1 µs in Node 20's V8, and the CPU
    // bench (bench/cpuSuite.ts) writes its records through here.
    const stamped: StreamsApiRecord = Object.assign({}, record, {
      dynamodb: Object.assign({}, record.dynamodb, {
        SequenceNumber: String(this.nextSequenceNumber),
        ApproximateCreationDateTime: new Date(this.now - (this.now % 1000)),
      }),
    });
    shard.records.push({ record: stamped, createdAt: this.now, emptyPagesBefore });
    return { record: stamped, shardId: shard.id };
  };

  /** Closes an open shard; one child takes its range (a rollover) or two halve it (a split). */
  rollover = (shardId: string, { split = false } = {}): void => {
    const shard = this.shards.find((s) => s.id === shardId && !s.closed);
    if (shard === undefined) return;
    shard.closed = true;
    shard.closedAt = this.now;
    if (!split) {
      this.stats.rollovers += 1;
      this.openShard({ low: shard.low, high: shard.high, parentId: shard.id });
      return;
    }
    this.stats.splits += 1;
    const middle = shard.low + Math.floor((shard.high - shard.low) / 2);
    this.openShard({ low: shard.low, high: middle, parentId: shard.id });
    this.openShard({ low: middle, high: shard.high, parentId: shard.id });
  };

  openShards = (): SimulatedShard[] => this.shards.filter((s) => !s.closed);

  /** The next `calls` GetRecords fail with LimitExceededException. */
  throttle = (calls: number): void => {
    this.throttleNext += calls;
  };

  expireIterators = (): void => {
    this.stats.expiries += this.iterators.size;
    for (const iterator of this.iterators.values()) iterator.issuedAt = -Infinity;
  };

  allRecords = (): StreamsApiRecord[] =>
    this.shards.flatMap((s) => s.records.map(({ record }) => record));

  private openShard = ({
    low,
    high,
    parentId,
  }: {
    low: number;
    high: number;
    parentId?: string;
  }) => {
    this.shardCount += 1;
    const id = `shardId-${String(this.shardCount).padStart(5, '0')}`;
    this.parents.set(id, parentId);
    this.shards.push({
      id,
      ...(parentId !== undefined ? { parentId } : {}),
      low,
      high,
      records: [],
      closed: false,
      trimmedBelow: 0n,
    });
  };

  private trim = (): StreamsApiRecord[] => {
    const trimmed: StreamsApiRecord[] = [];
    for (const shard of this.shards) {
      const kept = shard.records.filter(
        ({ createdAt }) => createdAt >= this.now - this.retentionMs,
      );
      if (kept.length === shard.records.length) continue;
      trimmed.push(
        ...shard.records.slice(0, shard.records.length - kept.length).map(({ record }) => record),
      );
      this.stats.trims += shard.records.length - kept.length;
      const firstKept = kept[0]?.record.dynamodb?.SequenceNumber;
      shard.trimmedBelow =
        firstKept !== undefined ? BigInt(firstKept) : this.nextSequenceNumber + 1n;
      shard.records = kept;
    }
    // A closed shard whose records are all past the retention is no longer listed.
    for (let index = this.shards.length - 1; index >= 0; index--) {
      const shard = this.shards[index] as SimulatedShard;
      if (
        shard.closed &&
        shard.records.length === 0 &&
        (shard.closedAt ?? 0) < this.now - this.retentionMs
      )
        this.shards.splice(index, 1);
    }
    return trimmed;
  };

  /** A DynamoDBStreamsClient that answers from this stream. */
  client = (): DynamoDBStreamsClient =>
    ({
      send: async (command: unknown) => {
        await Promise.resolve(); // never synchronous, as a network call is not
        if (command instanceof DescribeStreamCommand)
          return this.describe(command.input.ExclusiveStartShardId);
        if (command instanceof GetShardIteratorCommand) return this.getShardIterator(command.input);
        if (command instanceof GetRecordsCommand)
          return this.getRecords(
            command.input.ShardIterator as string,
            command.input.Limit ?? 1000,
          );
        throw new Error(`the simulated Streams API has no ${String(command)}`);
      },
      destroy: () => undefined,
    }) as unknown as DynamoDBStreamsClient;

  private describe = (exclusiveStartShardId: string | undefined) => {
    this.calls.push(`DescribeStream ${exclusiveStartShardId ?? ''}`);
    const pageSize = this.options.shardsPerDescribePage ?? 2;
    const start =
      exclusiveStartShardId === undefined
        ? 0
        : this.shards.findIndex((s) => s.id === exclusiveStartShardId) + 1;
    const page = this.shards.slice(start, start + pageSize);
    const shards: Shard[] = page.map((s) => ({
      ShardId: s.id,
      ...(s.parentId !== undefined ? { ParentShardId: s.parentId } : {}),
      SequenceNumberRange: {
        StartingSequenceNumber:
          s.records[0]?.record.dynamodb?.SequenceNumber ?? String(s.trimmedBelow),
        ...(s.closed
          ? {
              EndingSequenceNumber:
                s.records.at(-1)?.record.dynamodb?.SequenceNumber ?? String(s.trimmedBelow),
            }
          : {}),
      },
    }));
    const more = start + pageSize < this.shards.length;
    return {
      StreamDescription: {
        StreamStatus: 'ENABLED',
        Shards: shards,
        ...(more ? { LastEvaluatedShardId: page.at(-1)?.id } : {}),
      },
    };
  };

  private shardNamed = (shardId: string | undefined): SimulatedShard => {
    const shard = this.shards.find((s) => s.id === shardId);
    if (shard === undefined)
      throw new ResourceNotFoundException({
        message: `Requested resource not found: Shard: ${shardId}`,
        $metadata: {},
      });
    return shard;
  };

  private getShardIterator = ({
    ShardId,
    ShardIteratorType,
    SequenceNumber,
  }: {
    ShardId?: string | undefined;
    ShardIteratorType?: string | undefined;
    SequenceNumber?: string | undefined;
  }) => {
    this.calls.push(
      `GetShardIterator ${ShardId} ${ShardIteratorType}${SequenceNumber !== undefined ? ` ${SequenceNumber}` : ''}`,
    );
    const shard = this.shardNamed(ShardId);
    let next: bigint;
    if (ShardIteratorType === 'TRIM_HORIZON') next = shard.trimmedBelow;
    else if (ShardIteratorType === 'LATEST') next = this.nextSequenceNumber + 1n;
    else {
      const sequenceNumber = BigInt(SequenceNumber as string);
      if (sequenceNumber < shard.trimmedBelow) {
        throw new TrimmedDataAccessException({
          message: `sequence number ${SequenceNumber} is beyond the retention of the shard`,
          $metadata: {},
        });
      }
      next = ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? sequenceNumber + 1n : sequenceNumber;
    }
    return { ShardIterator: this.issue(shard.id, next) };
  };

  private issue = (shardId: string, next: bigint, emptyServed = 0): string => {
    const token = `iterator-${this.iterators.size}-${shardId}-${next}-${Math.random().toString(36).slice(2)}`;
    this.iterators.set(token, { shardId, next, issuedAt: this.now, emptyServed });
    return token;
  };

  private getRecords = (token: string, limit: number) => {
    const iterator = this.iterators.get(token);
    this.calls.push(`GetRecords ${iterator?.shardId}`);
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      this.stats.throttled += 1;
      throw new LimitExceededException({ message: 'Rate exceeded for shard', $metadata: {} });
    }
    if (iterator === undefined || this.now - iterator.issuedAt > ITERATOR_LIFE_MS) {
      throw new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} });
    }
    const shard = this.shardNamed(iterator.shardId);
    if (iterator.next < shard.trimmedBelow)
      throw new TrimmedDataAccessException({
        message: 'records trimmed under the iterator',
        $metadata: {},
      });
    const remaining = shard.records.slice(firstAtOrAfter(shard.records, iterator.next));
    const first = remaining[0];
    if (first !== undefined && iterator.emptyServed < first.emptyPagesBefore) {
      // What AWS calls getting "to a portion of the shard that contains stream records".
      this.stats.emptyPages += 1;
      return {
        Records: [],
        NextShardIterator: this.issue(shard.id, iterator.next, iterator.emptyServed + 1),
      };
    }
    const page: StreamsApiRecord[] = [];
    for (const entry of remaining) {
      if (page.length >= limit || (page.length > 0 && entry.emptyPagesBefore > 0)) break;
      page.push(entry.record);
    }
    const next =
      page.length > 0
        ? BigInt(page.at(-1)?.dynamodb?.SequenceNumber as string) + 1n
        : iterator.next;
    const ended = shard.closed && page.length === remaining.length;
    return { Records: page, ...(ended ? {} : { NextShardIterator: this.issue(shard.id, next) }) };
  };
}

/**
 * The index of a shard's first record whose sequence number is at least `next`: a binary
 * search, since a shard's records are in increasing order (a scan per page would make
 * reading a shard quadratic in its size).
 */
const firstAtOrAfter = (records: SimulatedShard['records'], next: bigint): number => {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const sequenceNumber = records[middle]?.record.dynamodb?.SequenceNumber as string;
    if (BigInt(sequenceNumber) < next) low = middle + 1;
    else high = middle;
  }
  return low;
};

/** FNV-1a over the partition key: where DynamoDB would place it, stably. */
const hashOf = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++)
    hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return hash >>> 0;
};
