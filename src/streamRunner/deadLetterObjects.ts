import type { ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';

import { CounterError } from '../shared/index.js';
import { type SendingClient, sendWith } from './drainReplay.js';

type S3 = typeof import('@aws-sdk/client-s3');

/** Where Lambda writes a mapping's objects: `aws/lambda/<mapping UUID>/<shard>/…`. */
export const LAMBDA_PREFIX = 'aws/lambda/';
const MAPPING_OF_KEY = /^aws\/lambda\/([^/]+)\//;

/**
 * The largest object a drain reads: Lambda's invocation payload is at most 6 MB, and its
 * invocation record adds little; an object beyond this is no dead letter of a mapping.
 */
export const MAX_DEAD_LETTER_BYTES = 16 * 2 ** 20;

export interface ListedObject {
  key: string;
  size: number | undefined;
}

/** Every object under the prefix, oldest first (S3's LastModified, then the key: Lambda's keys hold the time). */
export const listOldestFirst = async (
  s3: S3,
  options: { s3Client: SendingClient; bucket: string; prefix?: string | undefined },
): Promise<ListedObject[]> => {
  const objects: (ListedObject & { at: number })[] = [];
  let token: string | undefined;
  do {
    const page = await sendWith<ListObjectsV2CommandOutput>(
      options.s3Client,
      new s3.ListObjectsV2Command({
        Bucket: options.bucket,
        Prefix: options.prefix ?? LAMBDA_PREFIX,
        ...(token !== undefined ? { ContinuationToken: token } : {}),
      }),
    );
    for (const { Key, LastModified, Size } of page.Contents ?? [])
      // A folder's placeholder ("…/", as the console makes them) is no dead letter.
      if (Key !== undefined && !Key.endsWith('/'))
        objects.push({ key: Key, size: Size, at: LastModified?.getTime() ?? 0 });
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects
    .sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, size }) => ({ key, size }));
};

/**
 * Objects of several mappings under the prefix (several functions, or several streams,
 * writing to one bucket): the drain would replay another mapping's batches through this
 * handler and delete them, so it replays none and says which prefix to give. Undefined
 * when they are one mapping's.
 */
export const severalMappings = (
  objects: readonly ListedObject[],
): { key: string; error: CounterError<'InvalidDeadLetter'> } | undefined => {
  const mappings = new Set(objects.flatMap(({ key }) => MAPPING_OF_KEY.exec(key)?.[1] ?? []));
  const [first] = objects;
  if (mappings.size < 2 || first === undefined) return undefined;
  return {
    key: first.key,
    error: new CounterError('InvalidDeadLetter', {
      value: [...mappings],
      reason: `objects of ${mappings.size} mappings in the bucket: drain one mapping's at a time, with the prefix ${LAMBDA_PREFIX}<its mapping UUID>/ (nothing was replayed or deleted)`,
    }),
  };
};

/** An object too large to be a dead letter: refused before it is read. */
export const tooLarge = (key: string, size: number | undefined) =>
  size !== undefined && size > MAX_DEAD_LETTER_BYTES
    ? new CounterError('InvalidDeadLetter', {
        value: { key, size },
        reason: `${size} bytes, more than the ${MAX_DEAD_LETTER_BYTES} an invocation record of Lambda can hold`,
      })
    : undefined;
