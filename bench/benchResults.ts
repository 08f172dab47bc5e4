import type { CpuFindings } from './cpuSuite.js';
import type { Comparison } from './harness.js';
import type { ProjectionFindings } from './projectionSuite.js';
import type { ScalePoint } from './scaleSuite.js';
import type { StoragePoint } from './watermarkSuite.js';

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
  /** The hot key's item as shards roll over (shard watermark); absent from runs before issue 33. */
  watermarkStorage?: StoragePoint[];
  /** The projection's and the runner's own CPU per record; absent from runs before issue 33. */
  cpu?: CpuFindings;
  /** When the CPU per record was measured alone (`--cpu-only`), after the rest. */
  cpuMeasured?: { date: string; quick: boolean };
  /** When the shard watermark's comparisons, storage and CPU were measured alone (`--watermark-only`). */
  watermarkMeasured?: { date: string; quick: boolean };
}
