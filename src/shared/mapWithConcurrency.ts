/** Like Promise.all over items, with at most `concurrency` calls in flight. */
export const mapWithConcurrency = async <ITEM, RESULT>(
  items: readonly ITEM[],
  concurrency: number,
  map: (item: ITEM, index: number) => Promise<RESULT>,
): Promise<RESULT[]> => {
  const results = new Array<RESULT>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as ITEM, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
};
