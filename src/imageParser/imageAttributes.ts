import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  convertToNative,
  unmarshall,
  type unmarshallOptions as UnmarshallOptions,
} from '@aws-sdk/util-dynamodb';

import { normalizeImage } from './normalizeImage.js';

/** Throws the typed error of the record being parsed. */
export type Fail = (field: string, value: unknown, expected: string) => never;

// unmarshall trusts the type tags ({ S: 1 } becomes 1): the fields that identify an
// event must carry the DynamoDB type the adapter writes, with a string inside.
const KEY_ATTRIBUTES = { aggregateId: 'S', version: 'N', type: 'S', timestamp: 'S' } as const;

// The adapter writes versions as canonical integers: "1.0000000000000000001", "0x1", " 1"
// or "+1" would all read as 1 through Number, and be counted as another event's version.
const CANONICAL_VERSION = /^[1-9]\d{0,15}$/;

const KEY_ATTRIBUTE_ENTRIES = Object.entries(KEY_ATTRIBUTES);

export const assertKeyAttributes = (image: unknown, fail: Fail): void => {
  if (typeof image !== 'object' || image === null || Array.isArray(image)) return; // unmarshallImage says why
  for (const [field, type] of KEY_ATTRIBUTE_ENTRIES) {
    const value = (image as Record<string, unknown>)[field];
    const tags = typeof value === 'object' && value !== null ? Object.keys(value) : [];
    const content =
      tags.length === 1 && tags[0] === type ? (value as Record<string, unknown>)[type] : undefined;
    if (typeof content !== 'string') {
      fail(
        field,
        value,
        `a DynamoDB ${type === 'S' ? 'string' : 'number'} attribute ({ ${type}: "…" })`,
      );
    }
    if (field === 'version' && !CANONICAL_VERSION.test(content as string)) {
      fail(
        field,
        value,
        'a canonical integer >= 1 (digits only, no sign, point, exponent or spaces)',
      );
    }
  }
};

// The string key attributes, checked by assertKeyAttributes: each is its `S`, whatever the options.
const STRING_KEY_ATTRIBUTES = new Set(
  KEY_ATTRIBUTE_ENTRIES.filter(([, type]) => type === 'S').map(([field]) => field),
);

/**
 * unmarshall, for an image whose key attributes assertKeyAttributes checked: what unmarshall
 * gives (convertMap's loop, attribute by attribute), without converting the string key
 * attributes, which are their `S` (the stream's hot path reads every event's image).
 */
const unmarshallChecked = (
  image: Record<string, AttributeValue>,
  options: UnmarshallOptions,
): Record<string, unknown> => {
  const item: Record<string, unknown> = {};
  for (const name of Object.keys(image)) {
    const value = image[name] as AttributeValue;
    item[name] = STRING_KEY_ATTRIBUTES.has(name) ? value.S : convertToNative(value, options);
  }
  return item;
};

// unmarshall assigns `item[name] = value`: an attribute named __proto__ (JSON.parse makes it
// an own key) would become the item's prototype, and lend the event a payload or metadata its
// item lacks. The adapter never writes one: it is left out, as any attribute the event does
// not read (only then: the copy costs a pass over the image).
const withoutPrototypeAttribute = (image: object): object =>
  Object.hasOwn(image, '__proto__')
    ? Object.fromEntries(Object.entries(image).filter(([name]) => name !== '__proto__'))
    : image;

/** The image unmarshalled; its key attributes must have been checked by assertKeyAttributes. */
export const unmarshallImage = (
  imageAsGiven: unknown,
  options: UnmarshallOptions,
  fail: Fail,
): Record<string, unknown> => {
  if (typeof imageAsGiven !== 'object' || imageAsGiven === null || Array.isArray(imageAsGiven)) {
    return fail('image', imageAsGiven, 'a DynamoDB item (a map of attribute values)');
  }
  const image = withoutPrototypeAttribute(imageAsGiven);
  try {
    return options.convertWithoutMapWrapper
      ? unmarshall(image as Record<string, AttributeValue>, options)
      : unmarshallChecked(image as Record<string, AttributeValue>, options);
  } catch {
    // DynamoDB Local's streams lose empty maps' type: read again with them restored (only
    // then: restoring copies the whole image, which a record of AWS never needs).
  }
  try {
    return unmarshall(normalizeImage(image as Record<string, unknown>), options);
  } catch (error) {
    return fail('image', image, `DynamoDB attribute values (${String(error)})`);
  }
};

export const readVersion = (version: unknown, fail: Fail): number =>
  typeof version === 'number' && Number.isSafeInteger(version) && version >= 1
    ? version
    : fail('version', version, 'an integer >= 1');
