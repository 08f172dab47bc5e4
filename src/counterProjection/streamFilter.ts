/**
 * The filter pattern of the projection's event source mapping: only INSERT records are
 * events (a MODIFY or REMOVE is never counted). The CDK construct deploys it, and a dead
 * letter is replayed with it (the shard between a batch's records also holds the records it
 * dropped). Lambda's `FilterCriteria` pattern form: leaves are the accepted values.
 */
export const countingStreamFilter = { eventName: ['INSERT'] } as const;
