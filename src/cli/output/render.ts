import cliProgress from 'cli-progress';
import Table from 'cli-table3';

import { out } from '../io.js';

export interface ProgressView {
  update: (values: Record<string, number>) => void;
  stop: () => void;
}

/** Progress bars on a terminal; a line a second otherwise (CI logs, pipes). */
export const showProgress = (bars: { name: string; total: number }[]): ProgressView => {
  if (process.stdout.isTTY) {
    const multibar = new cliProgress.MultiBar(
      {
        format: ' {name} |{bar}| {value}/{total} {percentage}%',
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const created = new Map(
      bars.map(({ name, total }) => [name, multibar.create(total, 0, { name: name.padEnd(8) })]),
    );
    return {
      update: (values) =>
        Object.entries(values).forEach(([name, value]) => created.get(name)?.update(value)),
      stop: () => multibar.stop(),
    };
  }
  const latest: Record<string, number> = {};
  const print = () =>
    out(bars.map(({ name, total }) => `${name} ${latest[name] ?? 0}/${total}`).join(', '));
  const timer = setInterval(print, 1_000);
  return {
    update: (values) => Object.assign(latest, values),
    stop: () => {
      clearInterval(timer);
      print();
    },
  };
};

export const renderTable = (head: string[], rows: (string | number)[][]): string => {
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  table.push(...rows.map((row) => row.map(String)));
  return table.toString();
};
