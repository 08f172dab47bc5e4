import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type EventDetail,
  type EventsQueryOptions,
  type EventStorageAdapter,
  type EventStoreContext,
  GroupedEvent,
  type ListAggregateIdsOptions,
  type ListAggregateIdsOutput,
  type OptionalTimestamp,
  type PushEventOptions,
} from '@castore/core';

import { tableNameOption } from '../shared/index.js';
import { getEvents } from './getEvents.js';
import { assertValidEventStoreId } from './keys.js';
import { listAggregateIds } from './listAggregateIds.js';
import { type EventGroupTarget, parseEventGroup } from './parseEventGroup.js';
import { pushEvent } from './pushEvent.js';
import { pushEventGroup } from './pushEventGroup.js';

export interface DynamoDBSingleTableEventStorageAdapterOptions {
  /** A getter lets the name be resolved late, e.g. from an environment variable at cold start. */
  tableName: string | (() => string);
  dynamoDBClient: DynamoDBClient;
  /**
   * Refuse version N of an aggregate unless version N-1 exists (PreviousVersionMissingError),
   * so that a stale or wrong version number cannot leave a hole. Each push of a version
   * above 1 is then a transaction with a check (about twice the write cost). Default false,
   * as the reference adapter.
   */
  requireContiguousVersions?: boolean;
}

/**
 * Castore 2.x event storage on one DynamoDB table, item for item compatible with
 * @castore/event-storage-adapter-dynamodb's DynamoDBSingleTableEventStorageAdapter.
 */
export class DynamoDBSingleTableEventStorageAdapter implements EventStorageAdapter {
  tableName: string | (() => string);
  dynamoDBClient: DynamoDBClient;

  requireContiguousVersions: boolean;

  constructor({
    tableName,
    dynamoDBClient,
    requireContiguousVersions = false,
  }: DynamoDBSingleTableEventStorageAdapterOptions) {
    // Checked now: an unset environment variable would otherwise fail every call later,
    // with "this.tableName is not a function".
    if (typeof tableName !== 'function') assertTableName('tableName', tableName);
    this.tableName = tableName;
    this.dynamoDBClient = dynamoDBClient;
    this.requireContiguousVersions = requireContiguousVersions;
  }

  getTableName = (): string =>
    typeof this.tableName === 'string'
      ? this.tableName
      : assertTableName('tableName()', this.tableName());

  getEvents = (
    aggregateId: string,
    { eventStoreId }: EventStoreContext,
    options: EventsQueryOptions = {},
  ): Promise<{ events: EventDetail[] }> =>
    getEvents({
      dynamoDBClient: this.dynamoDBClient,
      tableName: this.getTableName(),
      eventStoreId,
      aggregateId,
      options,
    });

  pushEvent = (
    event: OptionalTimestamp<EventDetail>,
    options: PushEventOptions,
  ): Promise<{ event: EventDetail }> => pushEvent({ target: this.groupTarget(), event, options });

  /** Where this adapter's events of a group go, and how they are checked. */
  groupTarget = (): EventGroupTarget => ({
    dynamoDBClient: this.dynamoDBClient,
    tableName: this.getTableName(),
    requireContiguousVersions: this.requireContiguousVersions,
  });

  groupEvent = (event: OptionalTimestamp<EventDetail>): GroupedEvent =>
    new GroupedEvent({ event, eventStorageAdapter: this });

  /** All or nothing, in one DynamoDB transaction; checks every event of the group first. */
  pushEventGroup = async (
    options: { force?: boolean },
    ...groupedEvents: [GroupedEvent, ...GroupedEvent[]]
  ): Promise<{ eventGroup: { event: EventDetail }[] }> =>
    pushEventGroup(parseEventGroup(groupedEvents, toGroupTarget), options);

  listAggregateIds = (
    { eventStoreId }: EventStoreContext,
    options?: ListAggregateIdsOptions,
  ): Promise<ListAggregateIdsOutput> =>
    listAggregateIds({
      dynamoDBClient: this.dynamoDBClient,
      tableName: this.getTableName(),
      eventStoreId: assertValidEventStoreId(eventStoreId),
      ...(options !== undefined ? { options } : {}),
    });
}

const toGroupTarget = (adapter: EventStorageAdapter): EventGroupTarget | undefined =>
  adapter instanceof DynamoDBSingleTableEventStorageAdapter ? adapter.groupTarget() : undefined;

const assertTableName = (option: string, value: unknown): string =>
  tableNameOption(
    option,
    value,
    ": the event table's, or a function that returns it (is the environment variable that holds it set?)",
  );
