// The consumer's own item sorts apart from shard ids (which start with "shardId-").
export const CONSUMER_SORT_KEY = '#consumer';

/** The checkpoint table's partition key: one per (consumer, stream). */
export const checkpointPartitionKey = (consumerName: string, streamArn: string): string =>
  `${consumerName}#${streamArn}`;
