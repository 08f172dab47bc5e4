import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import {
  CounterError,
  decodePageToken as decodeToken,
  encodePageToken as encodeToken,
} from '../shared/index.js';

/** What a page token carries: the options of the listing and where the last page ended. */
export interface PageTokenContent {
  eventStoreId: string;
  limit?: number;
  initialEventAfter?: string;
  initialEventBefore?: string;
  reverse?: boolean;
  /** The GSI item the last page ended on (its table and index keys). */
  lastKey: { aggregateId: string; version: number; timestamp: string };
}

export const encodePageToken = (content: PageTokenContent): string => encodeToken(content);

export const decodePageToken = (pageToken: unknown, eventStoreId: string): PageTokenContent => {
  const fail = (reason: string): never => {
    throw new CounterError('InvalidPageToken', { pageToken, reason });
  };
  const parsed = decodeToken(pageToken);
  if (!isTokenShaped(parsed)) return fail('not a page token');
  if (parsed.eventStoreId !== eventStoreId) {
    return fail(
      `it was issued for event store ${JSON.stringify(parsed.eventStoreId)}, not ${JSON.stringify(eventStoreId)}`,
    );
  }
  if (!parsed.lastKey.aggregateId.startsWith(`${eventStoreId}#`))
    return fail('its position is not in this event store');
  return parsed;
};

const isTokenShaped = (value: unknown): value is PageTokenContent => {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Record<string, unknown>;
  const lastKey = token.lastKey as Record<string, unknown> | null | undefined;
  return (
    typeof token.eventStoreId === 'string' &&
    isOptional(token.limit, 'number') &&
    isOptional(token.initialEventAfter, 'string') &&
    isOptional(token.initialEventBefore, 'string') &&
    isOptional(token.reverse, 'boolean') &&
    typeof lastKey === 'object' &&
    lastKey !== null &&
    typeof lastKey.aggregateId === 'string' &&
    typeof lastKey.version === 'number' &&
    typeof lastKey.timestamp === 'string'
  );
};

const isOptional = (value: unknown, type: 'number' | 'string' | 'boolean') =>
  value === undefined || typeof value === type;

export const toExclusiveStartKey = (
  eventStoreId: string,
  lastKey: PageTokenContent['lastKey'],
): Record<string, AttributeValue> => ({
  eventStoreId: { S: eventStoreId },
  timestamp: { S: lastKey.timestamp },
  aggregateId: { S: lastKey.aggregateId },
  version: { N: String(lastKey.version) },
});
