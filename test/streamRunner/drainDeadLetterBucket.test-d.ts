import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expectTypeOf, it } from 'vitest';

import type { DrainDeadLetterBucketOptions } from '../../src/entries/streamRunner.js';

describe('drainDeadLetterBucket’s s3Client, typed without the optional @aws-sdk/client-s3', () => {
  it('takes an S3Client as it is', () => {
    expectTypeOf<S3Client>().toExtend<DrainDeadLetterBucketOptions['s3Client']>();
  });
});
