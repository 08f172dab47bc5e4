/**
 * Which of a counter's ref partitions holds a targetRef: FNV-1a, stable across runs and
 * versions, because a ref must always be looked for where it was first written.
 */
export const refShardOf = (targetRef: string, refShards: number): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < targetRef.length; index++) {
    hash ^= targetRef.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % refShards;
};
