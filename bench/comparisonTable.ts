import { type Comparison, ratioToBaseline } from './harness.js';

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A comparison as a markdown table, with the WCU column when its contenders were billed. */
export const comparisonTable = (comparison: Comparison): string => {
  const wcu = comparison.results.some((r) => r.wcuPerOperation !== undefined);
  const lines = [
    `| ${['contender', `median ${comparison.unit}`, 'min', 'max', `× ${comparison.baseline}`, ...(wcu ? ['WCU per op (AWS)'] : [])].join(' | ')} |`,
    `|${' --- |'.repeat(wcu ? 6 : 5)}`,
    ...comparison.results.map(
      (r) =>
        `| ${[r.name + (r.notes !== undefined ? ` (${r.notes})` : ''), fmt(r.median), fmt(r.min), fmt(r.max), fmt(ratioToBaseline(comparison, r), 2), ...(wcu ? [r.wcuPerOperation === undefined ? '' : fmt(r.wcuPerOperation, r.wcuPerOperation < 0.1 ? 4 : 2)] : [])].join(' | ')} |`,
    ),
  ];
  return `#### ${comparison.name}\n\n${lines.join('\n')}\n`;
};
