import type { CountsHealth } from '../../counterProjection/index.js';
import type { ConsumerStatus, ShardStatus } from '../../streamRunner/index.js';
import { seconds } from './progressLine.js';

const shardLine = (shard: ShardStatus): string => {
  const behind =
    shard.recordsBehind === undefined
      ? 'unknown'
      : `${shard.recordsBehind.count}${shard.recordsBehind.atLeast ? '+' : ''}`;
  return [
    `  ${shard.shardId} ${shard.open ? 'open' : 'closed'}${shard.finished ? ', finished' : ''}`,
    `checkpoint ${shard.checkpoint ?? 'none'}`,
    `behind ${behind}`,
    `lag ${seconds(shard.lagMs)}`,
    `newest handled ${seconds(shard.newestHandledAgeMs)} ago`,
    ...(shard.checkpointTrimmed
      ? ['CHECKPOINT TRIMMED: records after it may be lost; count them again with `rebuild`']
      : []),
  ].join(', ');
};

/**
 * `status`'s report: one line per consumer, one per shard. Unhealthy: no consumer, a
 * trimmed checkpoint, or, with maxLagMs, a consumer whose oldest waiting record is that old.
 */
export const statusLines = (
  consumers: ConsumerStatus[],
  { maxLagMs }: { maxLagMs: number | undefined },
): { lines: string[]; healthy: boolean } => {
  if (consumers.length === 0)
    return {
      lines: ['No consumer has a checkpoint on this stream yet (start `run`, or name --consumer).'],
      healthy: false,
    };
  let healthy = true;
  const lines = consumers.flatMap((consumer) => {
    const lagging =
      maxLagMs !== undefined && consumer.lagMs !== undefined && consumer.lagMs > maxLagMs;
    const trimmed = consumer.shards.some((shard) => shard.checkpointTrimmed);
    if (lagging || trimmed) healthy = false;
    return [
      `consumer ${consumer.consumerName}: lag ${seconds(consumer.lagMs)}${lagging ? ` LAGGING (more than ${seconds(maxLagMs)})` : ''}`,
      ...consumer.shards.map(shardLine),
    ];
  });
  return { lines, healthy };
};

/** A counter that refuses reads, and what to do: `status`'s line, and `replay`'s. */
export const notExactLine = ({
  counterName,
  reason,
  since,
}: CountsHealth['notExact'][number]): string =>
  `counter ${counterName}: NOT EXACT since ${since} (${reason}); its reads refuse: rebuild it into a fresh counts table and switch to it`;

/** `status --counts-table`: the counters that refuse reads, and the records set aside. */
export const countsHealthLines = ({
  notExact,
  setAside,
}: CountsHealth): { lines: string[]; healthy: boolean } => ({
  lines: [
    ...notExact.map(notExactLine),
    setAside.waiting > 0
      ? `records set aside: ${setAside.waiting} WAITING (fix their cause, then run count-set-aside), ${setAside.counted} counted`
      : `records set aside: none waiting, ${setAside.counted} counted`,
  ],
  healthy: notExact.length === 0 && setAside.waiting === 0,
});
