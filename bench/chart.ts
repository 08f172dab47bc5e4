import type { Comparison } from './harness.js';

const COLORS = ['#1b6ac9', '#d9480f', '#2b8a3e', '#862e9c', '#495057'];

/** A line chart of events/s per design against the number of events (log x), as SVG. */
export const throughputChart = (comparisons: Comparison[], sizes: number[]): string => {
  const width = 720;
  const height = 420;
  const margin = { left: 70, right: 250, top: 40, bottom: 50 };
  const designs = comparisons[0]?.results.map((r) => r.name) ?? [];
  const series = designs.map((design) =>
    comparisons.map((c, i) => ({
      x: sizes[i] as number,
      y: c.results.find((r) => r.name === design)?.median ?? 0,
    })),
  );
  const maxY = Math.max(1, ...series.flat().map((p) => p.y)) * 1.1;
  const [minX, maxX] = [Math.log10(Math.min(...sizes)), Math.log10(Math.max(...sizes))];
  const px = (x: number) =>
    margin.left +
    ((Math.log10(x) - minX) / Math.max(1e-9, maxX - minX)) * (width - margin.left - margin.right);
  const py = (y: number) =>
    height - margin.bottom - (y / maxY) * (height - margin.top - margin.bottom);
  const ticks = Array.from({ length: 5 }, (_, i) => (maxY / 5) * (i + 1));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${margin.left}" y="24" font-size="15">Events counted per second, by design (median of rounds, one DynamoDB Local)</text>
<line x1="${margin.left}" y1="${py(0)}" x2="${width - margin.right}" y2="${py(0)}" stroke="#333"/>
<line x1="${margin.left}" y1="${py(0)}" x2="${margin.left}" y2="${margin.top}" stroke="#333"/>
${ticks.map((t) => `<text x="${margin.left - 8}" y="${py(t) + 4}" text-anchor="end">${t.toFixed(0)}</text><line x1="${margin.left}" y1="${py(t)}" x2="${width - margin.right}" y2="${py(t)}" stroke="#eee"/>`).join('\n')}
${sizes.map((s) => `<text x="${px(s)}" y="${height - margin.bottom + 18}" text-anchor="middle">${s.toLocaleString('en')}</text>`).join('\n')}
<text x="${(margin.left + width - margin.right) / 2}" y="${height - 12}" text-anchor="middle">events in the stream (log scale)</text>
${series
  .map((points, i) => {
    const color = COLORS[i % COLORS.length];
    const path = points
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`)
      .join(' ');
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${points.map((p) => `<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${color}"/>`).join('')}
<rect x="${width - margin.right + 16}" y="${margin.top + i * 22}" width="12" height="12" fill="${color}"/><text x="${width - margin.right + 34}" y="${margin.top + i * 22 + 11}">${designs[i]}</text>`;
  })
  .join('\n')}
</svg>
`;
};
