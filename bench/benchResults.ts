import type { Comparison } from './harness.js';
import type { ProjectionFindings } from './projectionSuite.js';
import type { ScalePoint } from './scaleSuite.js';

/** What one `npm run bench` measured: written to bench/results.json, read back by the report. */
export interface BenchResults {
  date: string;
  machine: { cpus: number; node: string; dynamoDBLocal: string; endpoint: string };
  settings: { warmup: number; adapterRounds: number; projectionRounds: number; quick: boolean };
  adapter: Comparison[];
  projection: ProjectionFindings;
  projectionSizes: number[];
  scale: ScalePoint[];
  /** When the reactions comparison was measured alone (`--reactions-only`), on another day than the rest. */
  reactionsMeasured?: { date: string; quick: boolean };
  /** When the shard watermark's comparisons were measured alone (`--watermark-only`). */
  watermarkMeasured?: { date: string; quick: boolean };
}
