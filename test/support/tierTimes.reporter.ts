import type { Reporter, TestModule } from 'vitest/node';

/** One test file's run: its tier (vitest project) and when it started and ended (ms). */
export interface FileSpan {
  tier: string;
  start: number;
  end: number;
}

/**
 * A line per tier: its files, and its time from its first file's start to its last file's
 * end. The tiers run side by side in one `vitest run`, so this is the time each would add
 * to a run of its own, give or take the files of other tiers beside it: what shows a tier
 * growing (CONTRIBUTING.md's table of tiers).
 */
export const tierLines = (spans: readonly FileSpan[]): string[] => {
  const tiers = new Map<string, FileSpan[]>();
  for (const span of spans) tiers.set(span.tier, [...(tiers.get(span.tier) ?? []), span]);
  return [...tiers].map(([tier, files]) => {
    const first = Math.min(...files.map(({ start }) => start));
    const last = Math.max(...files.map(({ end }) => end));
    const seconds = ((last - first) / 1000).toFixed(1);
    return `tier ${tier}: ${files.length} file${files.length === 1 ? '' : 's'}, ${seconds} s`;
  });
};

/** Prints tierLines at the end of the run. */
export default class TierTimesReporter implements Reporter {
  private readonly started = new Map<string, number>();
  private readonly spans: FileSpan[] = [];

  onTestModuleStart(testModule: TestModule): void {
    this.started.set(testModule.moduleId, performance.now());
  }

  onTestModuleEnd(testModule: TestModule): void {
    const start = this.started.get(testModule.moduleId) ?? performance.now();
    this.spans.push({ tier: testModule.project.name, start, end: performance.now() });
  }

  onTestRunEnd(): void {
    for (const line of tierLines(this.spans)) console.log(line);
  }
}
