import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { describe, expectTypeOf, it } from 'vitest';

import type { StreamsApiRecord } from '../../src/index.js';

describe('StreamsApiRecord, written without the optional @aws-sdk/client-dynamodb-streams', () => {
  it('takes the SDK’s records as they are, and gives them back', () => {
    expectTypeOf<_Record>().toExtend<StreamsApiRecord>();
    expectTypeOf<StreamsApiRecord>().toExtend<_Record>();
  });
});
