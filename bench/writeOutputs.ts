import { readFileSync, writeFileSync } from 'node:fs';

import type { BenchResults } from './benchResults.js';
import { throughputChart } from './chart.js';
import { headlines, renderMarkdown } from './report.js';

const file = (name: string) => new URL(name, import.meta.url);

const README_START = '<!-- bench:headlines -->';
const README_END = '<!-- /bench:headlines -->';

/**
 * Writes everything a run publishes. README's headline list sits between two markers
 * and is rewritten from the same results, so it cannot drift from BENCHMARKS.md.
 */
export const writeBenchOutputs = (results: BenchResults): void => {
  const { projection, projectionSizes } = results;
  writeFileSync(file('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    file('./chart.svg'),
    throughputChart(projection.comparisons.slice(0, projectionSizes.length), projectionSizes),
  );
  writeFileSync(file('../BENCHMARKS.md'), renderMarkdown(results));
  writeFileSync(
    file('../README.md'),
    withHeadlines(readFileSync(file('../README.md'), 'utf8'), results),
  );
};

export const readBenchResults = (): BenchResults =>
  JSON.parse(readFileSync(file('./results.json'), 'utf8')) as BenchResults;

export const withHeadlines = (readme: string, results: BenchResults): string => {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end < start)
    throw new Error(
      `README.md has no ${README_START} ... ${README_END} block to write the headlines into`,
    );
  const run = results.settings.quick
    ? '`npm run bench -- --quick`, smaller sizes'
    : '`npm run bench`';
  const block = [
    README_START,
    `Headlines, as measured on ${results.date} (${run}; ratios between runs vary by about 10%):`,
    '',
    ...headlines(results).map((line) => `- ${line}`),
    README_END,
  ].join('\n');
  return readme.slice(0, start) + block + readme.slice(end + README_END.length);
};
