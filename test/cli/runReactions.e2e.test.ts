import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { DynamoDBSingleTableEventStorageAdapter } from '../../src/adapter/index.js';
import { makeCountReachedStore, makeOrdersStore } from '../../src/example/eventStores.js';
import { runCli, startCli } from '../support/cli.js';
import { dynamoDBEndpoint, useDynamoDB } from '../support/dynamoDB.js';

const { client, uniqueTableName } = useDynamoDB();
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `run` until its output shows `until`, then Ctrl-C; resolves to its output and exit code. */
const runUntil = async (args: string[], until: (output: string) => boolean) => {
  const child = startCli(args);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', () => reject(new Error(`run ended early:\n${output}`)));
  });
  child.kill('SIGINT');
  const code = await new Promise((resolve) => child.once('close', resolve));
  return { output, code };
};

describe('run with a module that reacts (DynamoDB Local, the CLI as a child process)', () => {
  it('counts and reacts side by side, each threshold once, and once again after a restart', async () => {
    const tables = {
      event: uniqueTableName('events'),
      counts: uniqueTableName('counts'),
      checkpoints: uniqueTableName('checkpoints'),
    };
    const endpoint = ['--endpoint', dynamoDBEndpoint()];
    const createArgs = [
      'tables',
      'create',
      '--event-table',
      tables.event,
      '--counts-table',
      tables.counts,
      '--checkpoint-table',
      tables.checkpoints,
      '--reactions',
      ...endpoint,
    ];
    const created = await runCli(createArgs);
    expect(created.stdout).toContain(
      `Created ${tables.counts} (counts, with its stream for reactions).`,
    );
    const again = await runCli(createArgs);
    expect(again.stdout).toContain(
      `Found ${tables.counts} (counts, with its stream for reactions), with the keys and stream it needs.`,
    );
    const adapter = new DynamoDBSingleTableEventStorageAdapter({
      tableName: tables.event,
      dynamoDBClient: client,
    });
    const orders = makeOrdersStore(adapter);
    for (let index = 0; index < 12; index++)
      await orders.pushEvent({
        aggregateId: `order-${index}`,
        version: 1,
        type: 'ORDER_PLACED',
        payload: { customerId: 'c', country: index < 11 ? 'FR' : 'DE', quantity: 1 },
      });
    const args = [
      'run',
      '--counters',
      'src/example/counters.ts',
      '--event-table',
      tables.event,
      '--counts-table',
      tables.counts,
      '--checkpoint-table',
      tables.checkpoints,
      '--reactions-table',
      tables.event, // the event table itself: its COUNT_REACHED events are read, not refused
      ...endpoint,
    ];

    const first = await runUntil(args, (output) => output.includes('committed 13'));
    expect(first.code).toBe(0);
    expect(first.output.match(/^Reached: .*$/gm)).toEqual([
      'Reached: ordersByCountry FR threshold 10 (count 11).',
    ]);
    const reached = makeCountReachedStore(adapter);
    const { aggregateIds } = await reached.listAggregateIds();
    expect(aggregateIds.map(({ aggregateId }) => aggregateId)).toEqual([
      'ordersByCountry#FR#threshold#10',
    ]);

    // Restarted, with one more order: nothing reached again, the new event read and skipped.
    await orders.pushEvent({
      aggregateId: 'order-12',
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    });
    const second = await runUntil(args, (output) => output.includes('committed 1 '));
    expect(second.code).toBe(0);
    expect(second.output).not.toContain('Reached:');
    expect((await reached.listAggregateIds()).aggregateIds).toHaveLength(1);

    // Without --reactions-table: counting only, and it says so.
    const countingOnly = await runUntil(
      [...args.slice(0, -4), '--consumer', 'another', ...endpoint],
      (output) => output.includes('committed 14'),
    );
    expect(countingOnly.code).toBe(0);
    expect(countingOnly.output).not.toContain('Reached:');
    expect(countingOnly.output).toMatch(
      /exports `reactions`: pass --reactions-table .* counting only\./,
    );
  });

  it('says, when a counter has floors, that crossings depend on the batching, and how to avoid it', async () => {
    const tables = {
      event: uniqueTableName('events'),
      counts: uniqueTableName('counts'),
      checkpoints: uniqueTableName('checkpoints'),
    };
    const endpoint = ['--endpoint', dynamoDBEndpoint()];
    const tableArgs = ['--event-table', tables.event, '--counts-table', tables.counts];
    const checkpoints = ['--checkpoint-table', tables.checkpoints];
    await runCli(['tables', 'create', ...tableArgs, ...checkpoints, '--reactions', ...endpoint]);
    await makeOrdersStore(
      new DynamoDBSingleTableEventStorageAdapter({
        tableName: tables.event,
        dynamoDBClient: client,
      }),
    ).pushEvent({
      aggregateId: 'order-1',
      version: 1,
      type: 'ORDER_PLACED',
      payload: { customerId: 'c', country: 'FR', quantity: 1 },
    });
    // The example's module, with one more counter that has floors.
    const folder = mkdtempSync(join(tmpdir(), 'floors-'));
    try {
      const example = join(root, 'src', 'example', 'counters.ts');
      writeFileSync(
        join(folder, 'floors.ts'),
        [
          `import { counter } from '${join(root, 'src', 'index.ts')}';`,
          `import { counters as example, ordersStore } from '${example}';`,
          `export { reactions, sourceEventStores } from '${example}';`,
          "const stock = counter({ name: 'stock', eventStore: ordersStore, key: () => 'all', by: () => -1, floors: [0, -10] });",
          'export const counters = [...example, stock];',
        ].join('\n'),
      );
      const args = ['run', '--counters', join(folder, 'floors.ts'), ...tableArgs, ...checkpoints];
      const { output, code } = await runUntil(
        [...args, '--reactions-table', tables.event, ...endpoint],
        (text) => text.includes('committed 1 '),
      );
      expect(code).toBe(0);
      expect(output).toContain(
        'Floors of stock (0, -10): reactions judge each write of a count, and a batch adds its increments in one write',
      );
      // The example's own module has no floors: no such line.
      const plain = await runUntil(
        [
          ...args.slice(0, 2),
          'src/example/counters.ts',
          ...args.slice(3),
          '--reactions-table',
          tables.event,
          '--consumer',
          'plain',
          ...endpoint,
        ],
        (text) => text.includes('committed 1 '),
      );
      expect(plain.output).not.toContain('Floors of');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
