import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';

import { findFreePort } from '../../src/dynamoDBLocal/findFreePort.js';
import {
  createCheckpointTable,
  StreamRunner,
  type StreamRunnerProgress,
} from '../../src/streamRunner/index.js';
import { useDynamoDB } from '../support/dynamoDB.js';

const { client: dynamoDBClient, createTestEventTable, uniqueTableName } = useDynamoDB();

describe('a stream runner whose Streams client points nowhere', () => {
  it('reports the outage in onProgress, and run({ untilCaughtUp }) fails with a typed error instead of hanging', async () => {
    const tableName = await createTestEventTable();
    const checkpointTableName = uniqueTableName('checkpoints');
    await createCheckpointTable({ dynamoDBClient, tableName: checkpointTableName });
    // A port nothing listens on: every call is refused, as with a forgotten endpoint.
    const streamsClient = new DynamoDBStreamsClient({
      endpoint: `http://127.0.0.1:${await findFreePort()}`,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const reported: StreamRunnerProgress[] = [];
    const runner = new StreamRunner({
      dynamoDBClient,
      streamsClient,
      tableName,
      checkpointTableName,
      handler: () => Promise.resolve(),
      stopOnSignals: false,
      maximumOutageMs: 1_000,
      onProgress: (progress) => reported.push(progress),
    });
    try {
      const error = await runner.run({ untilCaughtUp: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'StreamUnreachable', tableName });
      expect((error as Error).message).toContain('AWS_ENDPOINT_URL_DYNAMODB_STREAMS');
      expect(reported.length).toBeGreaterThan(0);
      expect(reported[0]?.outage?.error).toMatch(/ECONNREFUSED/);
    } finally {
      streamsClient.destroy();
    }
  });

  it('refuses a maximumOutageMs that is not a duration', () => {
    expect(
      () =>
        new StreamRunner({
          dynamoDBClient,
          streamsClient: new DynamoDBStreamsClient({}),
          tableName: 'events',
          checkpointTableName: 'checkpoints',
          handler: () => Promise.resolve(),
          maximumOutageMs: -5,
        }),
    ).toThrow(expect.objectContaining({ code: 'InvalidOption', option: 'maximumOutageMs' }));
  });
});
