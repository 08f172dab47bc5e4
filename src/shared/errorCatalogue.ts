/* Every error this library throws, by code: what it carries (its message, saying what was
 * wrong and what to do, is in errorMessages.ts). EventAlreadyExists carries Castore's own
 * code, so that Castore's `isEventAlreadyExistsError` (and its commands' retries) see it. */

/** An argument or option that is not what it must be: `option` (or `field`) names it. */
interface Invalid {
  value: unknown;
  expected: string;
}

export type InvalidEventGroupReason =
  | 'EmptyGroup'
  | 'TooManyEvents'
  | 'ForeignAdapter'
  | 'MissingContext'
  | 'DifferentDynamoDBClients'
  | 'DuplicateEventKey'
  | 'DifferentTimestamps';

export interface EventGroupCancellationReason {
  eventIndex: number;
  eventStoreId: string;
  aggregateId: string;
  version: number;
  /** DynamoDB's cancellation code, e.g. TransactionConflict, ThrottlingError. */
  reasonCode: string;
  message?: string;
}

export type IncrementField = 'key' | 'by' | 'targetRef' | 'timestamp' | 'filter' | 'target';
/** Where a shard watermark cannot be exact (docs/counters.md, "Idempotency"). */
export type WatermarkRefusedSetting =
  'NoShardId' | 'NoClaim' | 'Rebuild' | 'DirectIncrement' | 'SequenceNumber' | 'NoCreationTime';
export type DynamoDBLocalStartFailure =
  'JavaMissing' | 'PackageMissing' | 'PortTaken' | 'ExitedEarly' | 'NotReady';

/** What each code's error carries (its fields, `cause` apart). */
export interface CounterErrorFields {
  // Arguments and options: the caller's mistake, nothing read or written.
  InvalidOption: Invalid & { option: string };
  InvalidQueryOption: Invalid & { option: string };
  InvalidCountQuery: Invalid & { option: string };
  InvalidEvent: Invalid & { field: string };
  InvalidCounterDefinition: Invalid & { counterName: unknown; field: string };
  InvalidIncrement: Invalid & {
    counterName: string;
    field: IncrementField;
    /** The stream record being counted; absent for a direct increment. */
    sequenceNumber?: string | undefined;
  };
  InvalidEventStoreId: { eventStoreId: unknown };
  InvalidEventGroup: {
    reason: InvalidEventGroupReason;
    /** What is wrong and what to do, in a sentence. */
    explanation: string;
    /** Positions in the group of the events at fault (empty, the default, when the group as a whole is). */
    eventIndexes?: number[];
  };
  InvalidPageToken: { pageToken: unknown; reason: string };
  UnknownCounter: { counterName: unknown; knownCounters: string[] };
  // Data that is not what it must be.
  InvalidStreamRecord: Invalid & {
    /** The record's SequenceNumber, when it has one (images parsed alone have none). */
    sequenceNumber: string | undefined;
    field: string;
  };
  InvalidCountsRecord: { value: unknown; reason: string };
  InvalidDeadLetter: { value: unknown; reason: string };
  TableMismatch: {
    tableName: string;
    differences: string[];
    /** What fixes each difference, data kept: UpdateTable in place, or another table for other keys. */
    fixes: string[];
  };
  StreamNotFound: { tableName: string };
  TableNotFound: { tableName: string };
  CountTooLarge: { itemKey: string; count: string };
  CounterShardsChanged: { counterName: string; key: string; refShards: number };
  /** A shardWatermark counter asked to count where a watermark cannot stay exact. */
  WatermarkRefused: { counterName: string; setting: WatermarkRefusedSetting; detail: string };
  /**
   * A record an earlier delivery of its shard decided to count (and may have counted) fails
   * now: neither set aside nor counted again until that delivery is known to have finished.
   */
  RecordInDoubt: { shardId: string; sequenceNumber: string; decidedAt: string; cause: string };
  /** A shardWatermark counter that may have missed records: every read refuses until it is replaced. */
  CounterNotExact: { counterName: string; reason: string; since: string };
  // Conflicts.
  /** Castore's code: the version pushed is already in the table. */
  EventAlreadyExistsError: { eventStoreId: string; aggregateId: string; version: number };
  PreviousVersionMissing: {
    eventStoreId: string;
    aggregateId: string;
    version: number;
    missingVersion: number;
    /** The event's position in its group, for a group. */
    eventIndex?: number | undefined;
  };
  EventGroupCancelled: { reasons: EventGroupCancellationReason[] };
  // Gave up: retries, outages, a record that keeps failing.
  CountWriteFailed: { attempts: number };
  CountReadFailed: { attempts: number; unprocessedKeys: number };
  RecordsNotHandled: {
    sequenceNumber: string;
    /** How many records the batch held. */
    records: number;
    /** What the handler failed to do: `counted` (the default: the projection) or `reacted to` (reactions). */
    handled?: string;
  };
  ReactionFailed: { idempotencyKey: string };
  UndeliverableRecords: { shardId: string; sequenceNumbers: string[] };
  StreamUnreachable: { tableName: string; outageMs: number };
  ReplayIncomplete: {
    shardId: string;
    reason: 'StreamUnreachable' | 'EndNotReached' | 'BatchMismatch';
    detail: string;
  };
  DynamoDBLocalStart: { failure: DynamoDBLocalStartFailure; explanation: string };
  /** A mistake in a CLI command's flags, module or packages, said in one line by the CLI. */
  CliUsage: { explanation: string };
}

export type CounterErrorCode = keyof CounterErrorFields;
