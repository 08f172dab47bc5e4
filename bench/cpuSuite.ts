import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { _Record as StreamsApiRecord } from '@aws-sdk/client-dynamodb-streams';

import { counter, CounterProjection } from '../src/counterProjection/index.js';
import { makeOrdersStore } from '../src/example/eventStores.js';
import { StreamRunner } from '../src/streamRunner/index.js';
import { shardDeliveries } from '../src/testing/index.js';
import { SimulatedStream } from '../test/support/simulatedStreams.js';
import { makeStream } from './projectionSuite.js';

/**
 * The projection's own CPU (issue 33): a DynamoDB client that answers every request at
 * once, so that what is measured is nothing but planning, packing, building requests and
 * reading their answers. CPU time (process.cpuUsage: user + system, garbage collection
 * included) per record, the best of a few rounds after one warm-up, each begun on a collected
 * heap: the least the machine's other work added.
 */
export interface CpuPoint {
  idempotency: Idempotency;
  windows: number;
  batchSize: number;
  microsPerRecord: number;
  /** Requests sent per record (counts items written, claims): what a batch's size changes. */
  writesPerRecord?: number;
}

/** The stream runner end to end on the simulated Streams API (in memory), per core. */
export interface RunnerCpuPoint {
  idempotency: Idempotency;
  /** With the SDK's client stack (an HTTP handler answering at once), or a client answering at once. */
  sdk: boolean;
  records: number;
  microsPerRecord: number;
  recordsPerCoreSecond: number;
}

export interface CpuFindings {
  records: number;
  /** The machine's 1-minute load average when the measure began (2 cores here): what else ran. */
  loadAverage?: number;
  /** Measured rounds per point, each after the same warm-up (3 before 2026-12-08). */
  rounds?: number;
  projection: CpuPoint[];
  runner: RunnerCpuPoint[];
}

type Idempotency = 'refs' | 'shardWatermark';
const WINDOWS = [[], ['day'], ['minute', 'hour', 'day']] as const;
const BATCH_SIZES = [100, 1_000, 10_000];
const RECORDS = 20_000;
const ROUNDS = 5;
const STREAM_ARN = 'arn:aws:dynamodb:local:000000000000:table/events/stream/cpu';

const ordersStore = makeOrdersStore();

/**
 * Answers every request at once: an empty answer, or the stream of the table asked about. A
 * real client whose `send` is replaced, since the SDK's paginators check the client's class.
 */
class InstantClient extends DynamoDBClient {
  requests = 0;

  constructor() {
    super({ region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  override send = (async (command: unknown) => {
    this.requests += 1;
    return command instanceof DescribeTableCommand
      ? { Table: { LatestStreamArn: STREAM_ARN, StreamSpecification: { StreamEnabled: true } } }
      : {};
  }) as unknown as DynamoDBClient['send'];
}
const instantClient = new InstantClient();

const encoder = new TextEncoder();
/**
 * The SDK's whole client (middleware, serializing, signing, parsing the answer) over an HTTP
 * handler that answers at once: what a request costs the task's CPU besides the projection's
 * own work, the network's wait aside.
 */
const sdkOverInstantHttp = new DynamoDBClient({
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: {
    handle: async (request: { headers: Record<string, string> }) => {
      const target = request.headers['x-amz-target'] ?? '';
      const body = target.endsWith('.DescribeTable')
        ? { Table: { LatestStreamArn: STREAM_ARN, StreamSpecification: { StreamEnabled: true } } }
        : {};
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: encoder.encode(JSON.stringify(body)),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as never,
});

const projectionOf = (
  idempotency: Idempotency,
  windows: readonly ('minute' | 'hour' | 'day')[],
  dynamoDBClient: DynamoDBClient = instantClient,
) =>
  new CounterProjection({
    dynamoDBClient,
    countsTableName: 'counts',
    sourceEventStores: [ordersStore],
    counters: [
      counter({
        name: 'placed',
        eventStore: ordersStore,
        eventTypes: ['ORDER_PLACED'],
        key: (event) => event.payload.country,
        windows: [...windows],
        idempotency,
      }),
    ],
    logger: { error: () => undefined },
  });

/**
 * The bench's mixed workload (60% on one hot key, the rest on 500), as makeStream builds it:
 * each record a literal, as JSON.parse and the SDK's deserializer build them (in Node 20's V8
 * a copy made by `{ ...record, more }` is slow to read, half a microsecond per record read,
 * measured, which would be measured here as the projection's).
 */
const mixedRecords = (records: number): StreamsApiRecord[] => makeStream(records, 0.6);

const cpuMicros = async (work: () => Promise<void>): Promise<number> => {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

// A round begun on a heap full of the last one's garbage pays for collecting it: each round
// starts on a collected heap, so that rounds compare (the collection's own time is not counted).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const bestOf = async (rounds: number, work: () => Promise<void>): Promise<number> => {
  await work(); // warm-up: the JIT, the caches of update shapes
  let best = Infinity;
  for (let round = 0; round < rounds; round += 1) {
    collectGarbage();
    best = Math.min(best, await cpuMicros(work));
  }
  return best;
};

const projectionPoint = async (
  idempotency: Idempotency,
  windows: readonly ('minute' | 'hour' | 'day')[],
  batchSize: number,
  stream: StreamsApiRecord[],
): Promise<Required<CpuPoint>> => {
  const projection = projectionOf(idempotency, windows);
  // A watermark batch comes with its claim, as the runner gives it; the claim's write goes
  // to the same client that answers at once.
  const shard = shardDeliveries({ dynamoDBClient: instantClient, checkpointTableName: 'cps' });
  const requestsBefore = instantClient.requests;
  const micros = await bestOf(ROUNDS, async () => {
    for (let start = 0; start < stream.length; start += batchSize) {
      const batch = stream.slice(start, start + batchSize);
      if (idempotency === 'refs') await projection.processRecords(batch);
      else await shard.deliver(projection, batch);
    }
  });
  return {
    idempotency,
    windows: windows.length,
    batchSize,
    microsPerRecord: micros / stream.length,
    // Every round (the warm-up too) sends the same requests: the instant client applies each.
    writesPerRecord: (instantClient.requests - requestsBefore) / ((ROUNDS + 1) * stream.length),
  };
};

/** Writes `records` records over a shard that rolls over every 10,000 records. */
const simulatedStreamOf = (records: StreamsApiRecord[]): SimulatedStream => {
  const stream = new SimulatedStream();
  records.forEach((record, index) => {
    if (index > 0 && index % 10_000 === 0) stream.rollover(stream.openShards()[0]?.id ?? '');
    stream.write(record, 'orders');
  });
  return stream;
};

const runnerPoint = async (
  idempotency: Idempotency,
  records: number,
  sdk: boolean,
): Promise<RunnerCpuPoint> => {
  const dynamoDBClient = sdk ? sdkOverInstantHttp : instantClient;
  const workload = mixedRecords(records);
  const run = async () => {
    const stream = simulatedStreamOf(workload);
    const projection = projectionOf(idempotency, ['minute', 'hour', 'day'], dynamoDBClient);
    const runner = new StreamRunner({
      dynamoDBClient,
      streamsClient: stream.client(),
      tableName: 'events',
      checkpointTableName: 'checkpoints',
      consumerName: 'cpu',
      batchSize: 1_000,
      pollIntervalMs: 1,
      shardDiscoveryIntervalMs: 5,
      stopOnSignals: false,
      clock: stream.clock,
      handler: (batchRecords, context) => projection.processRecords(batchRecords, context),
    });
    await runner.run({ untilCaughtUp: true });
  };
  const micros = await bestOf(ROUNDS, run);
  return {
    idempotency,
    sdk,
    records,
    microsPerRecord: micros / records,
    recordsPerCoreSecond: (records / micros) * 1_000_000,
  };
};

export const runCpuSuite = async ({
  quick,
  log = () => undefined,
}: {
  quick: boolean;
  log?: (line: string) => void;
}): Promise<CpuFindings> => {
  const loadAverage = loadavg()[0] ?? NaN;
  // Not fewer when quick: a batch of 10,000 in a stream of 10,000 would be one batch a round.
  const records = RECORDS;
  const stream = mixedRecords(records);
  const projection: CpuPoint[] = [];
  for (const idempotency of ['refs', 'shardWatermark'] as const)
    for (const windows of WINDOWS)
      for (const batchSize of BATCH_SIZES) {
        const point = await projectionPoint(idempotency, windows, batchSize, stream);
        log(
          `cpu ${idempotency} windows ${point.windows} batch ${batchSize}: ${point.microsPerRecord.toFixed(1)} µs/record, ${point.writesPerRecord.toFixed(2)} writes/record`,
        );
        projection.push(point);
      }
  const runner: RunnerCpuPoint[] = [];
  for (const sdk of [false, true])
    for (const idempotency of ['refs', 'shardWatermark'] as const) {
      const point = await runnerPoint(idempotency, quick ? 20_000 : 50_000, sdk);
      log(
        `runner ${idempotency}${sdk ? ' with the SDK' : ''}: ${point.microsPerRecord.toFixed(1)} µs/record`,
      );
      runner.push(point);
    }
  return { records, loadAverage, rounds: ROUNDS, projection, runner };
};
