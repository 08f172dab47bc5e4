import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { CounterError, isAwsError, itemSize } from '../shared/index.js';

const MAX_ITEM_BYTES = 400 * 1024;

/** DynamoDB refuses items over 400 KB with a ValidationException (or a transaction's ValidationError). */
export const isItemTooLarge = (
  error: unknown,
  reasons: { Code?: string | undefined; Message?: string | undefined }[] = [],
): boolean =>
  (isAwsError(error, 'ValidationException') && /item size/i.test(error.message)) ||
  reasons.some(({ Code, Message }) => Code === 'ValidationError' && /size/i.test(Message ?? ''));

/** The typed error for the largest of the items DynamoDB refused as too large. */
export const itemTooLargeError = (
  items: { item: Record<string, AttributeValue>; label: string }[],
): CounterError<'InvalidEvent'> => {
  const sized = items
    .map(({ item, label }) => ({ label, bytes: itemSize(item) }))
    .sort((a, b) => b.bytes - a.bytes);
  const largest = sized[0] ?? { label: 'event', bytes: NaN };
  return new CounterError('InvalidEvent', {
    field: `payload of ${largest.label}`,
    value: `an item of about ${Math.round(largest.bytes / 1024)} KB`,
    expected: `an event whose DynamoDB item is at most ${MAX_ITEM_BYTES / 1024} KB: keep large data elsewhere (S3, say) and put its reference in the event. Nothing was written`,
  });
};
