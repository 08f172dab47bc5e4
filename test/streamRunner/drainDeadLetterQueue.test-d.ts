import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expectTypeOf, it } from 'vitest';

import type { DrainDeadLetterQueueOptions } from '../../src/entries/streamRunner.js';

describe('drainDeadLetterQueue’s sqsClient, typed without the optional @aws-sdk/client-sqs', () => {
  it('takes an SQSClient as it is', () => {
    expectTypeOf<SQSClient>().toExtend<DrainDeadLetterQueueOptions['sqsClient']>();
  });
});
