/**
 * One contender of a comparison: `run` does one round's work and says how many operations
 * it did; `prepare`, when given, sets the round up before the clock starts (seeding what
 * the round's operations need, e.g. the versions they follow).
 */
export interface Contender {
  name: string;
  prepare?: () => Promise<void>;
  run: () => Promise<{ operations: number; wcu?: number; notes?: string }>;
}

export interface ContenderResult {
  name: string;
  /** Operations per second, one value per measured round. */
  rounds: number[];
  median: number;
  min: number;
  max: number;
  /** Write capacity units per operation, as AWS bills them (median round). */
  wcuPerOperation?: number;
  notes?: string;
}

export interface Comparison {
  suite: string;
  name: string;
  unit: string;
  /** The contender the others are divided by. */
  baseline: string;
  results: ContenderResult[];
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Runs every contender `rounds` times after `warmup` unmeasured rounds, rotating their
 * order each round so that drift (the server warming, its GC) falls on all alike.
 */
export const compare = async ({
  suite,
  name,
  unit = 'ops/s',
  baseline,
  contenders,
  rounds,
  warmup,
}: {
  suite: string;
  name: string;
  unit?: string;
  baseline: string;
  contenders: Contender[];
  rounds: number;
  warmup: number;
}): Promise<Comparison> => {
  const samples = new Map(
    contenders.map((c) => [
      c.name,
      { rates: [] as number[], wcu: [] as number[], notes: undefined as string | undefined },
    ]),
  );
  for (let round = 0; round < warmup + rounds; round++) {
    const order = contenders.map(
      (_, index) => contenders[(index + round) % contenders.length] as Contender,
    );
    for (const contender of order) {
      await contender.prepare?.();
      const started = process.hrtime.bigint();
      const { operations, wcu, notes } = await contender.run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (round < warmup) continue;
      const sample = samples.get(contender.name);
      if (sample === undefined) continue;
      sample.rates.push(operations / seconds);
      if (wcu !== undefined) sample.wcu.push(wcu / operations);
      if (notes !== undefined) sample.notes = notes;
    }
  }
  const results = contenders.map(({ name: contenderName }) => {
    const { rates, wcu, notes } = samples.get(contenderName) as {
      rates: number[];
      wcu: number[];
      notes: string | undefined;
    };
    return {
      name: contenderName,
      rounds: rates,
      median: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
      ...(wcu.length > 0 ? { wcuPerOperation: median(wcu) } : {}),
      ...(notes !== undefined ? { notes } : {}),
    };
  });
  const comparison = { suite, name, unit, baseline, results };
  printComparison(comparison);
  return comparison;
};

/**
 * How many times `other`'s rate `result` reached: the median over rounds of the two
 * contenders' rates in the same round. Pairing by round cancels what drifts between
 * rounds (the server's GC, the VM's neighbours), which a ratio of medians does not.
 */
export const pairedRatio = (result: ContenderResult, other: ContenderResult): number =>
  median(result.rounds.map((rate, round) => rate / (other.rounds[round] ?? NaN)));

/** The paired ratio of two contenders of a comparison, by name (NaN when either is missing). */
export const ratioBetween = (
  comparison: Comparison | undefined,
  name: string,
  to: string,
): number => {
  const a = comparison?.results.find((r) => r.name === name);
  const b = comparison?.results.find((r) => r.name === to);
  return a === undefined || b === undefined ? NaN : pairedRatio(a, b);
};

export const ratioToBaseline = (comparison: Comparison, result: ContenderResult): number => {
  const base = comparison.results.find((r) => r.name === comparison.baseline);
  return base === undefined ? NaN : pairedRatio(result, base);
};

const printComparison = (comparison: Comparison) => {
  console.log(`\n${comparison.suite} / ${comparison.name}`);
  for (const result of comparison.results) {
    const wcu =
      result.wcuPerOperation !== undefined ? `, ${result.wcuPerOperation.toFixed(2)} WCU/op` : '';
    console.log(
      `  ${result.name.padEnd(34)} ${result.median.toFixed(0).padStart(8)} ${comparison.unit} (x${ratioToBaseline(comparison, result).toFixed(2)} of ${comparison.baseline})${wcu}`,
    );
  }
};
