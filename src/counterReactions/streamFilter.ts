/**
 * The filter pattern of the reactions' event source mapping on the counts table's stream:
 * writes of a counter key's total item (sort key `total`); a window's or a ref's record
 * reaches nothing. The CDK construct deploys it; replay a reactions dead letter with it.
 */
export const reactionsStreamFilter = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { sk: { S: ['total'] } } },
} as const;
