/**
 * `mirror run compare`: each run's inputs and metrics side by side. The template's
 * result contract is `results/metrics.json`, a flat object of numbers (nested
 * objects are flattened with dots; other values are shown as text).
 */
export interface ComparedRun {
  id: number;
  conclusion: string | null;
  inputs: Record<string, string>;
  metrics: Record<string, number | string>;
  /** why no metrics were read (no artifact, no metrics.json, not JSON) */
  problem?: string;
}

export interface Comparison {
  inputNames: string[];
  metricNames: string[];
  runs: ComparedRun[];
  /** per metric, the id of the run with the highest value (ties: first) */
  best: Record<string, number>;
}

export function flattenMetrics(value: unknown, prefix = '', out: Record<string, number | string> = {}): Record<string, number | string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) flattenMetrics(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out[prefix] = typeof value === 'number' ? value : JSON.stringify(value);
  }
  return out;
}

export function compareRuns(runs: readonly ComparedRun[]): Comparison {
  const inputNames = [...new Set(runs.flatMap((run) => Object.keys(run.inputs)))].filter((name) => name !== 'correlation_id').sort();
  const metricNames = [...new Set(runs.flatMap((run) => Object.keys(run.metrics)))].sort();
  const best: Record<string, number> = {};
  for (const name of metricNames) {
    let top: { id: number; value: number } | undefined;
    for (const run of runs) {
      const value = run.metrics[name];
      if (typeof value === 'number' && (top === undefined || value > top.value)) top = { id: run.id, value };
    }
    if (top) best[name] = top.id;
  }
  return { inputNames, metricNames, runs: [...runs], best };
}

function cell(value: number | string | undefined): string {
  if (value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return value;
}

function rows(comparison: Comparison): string[][] {
  const header = ['run', 'result', ...comparison.inputNames, ...comparison.metricNames];
  const body = comparison.runs.map((run) => [
    String(run.id),
    run.problem ? `${run.conclusion ?? '?'} (${run.problem})` : (run.conclusion ?? 'running'),
    ...comparison.inputNames.map((name) => run.inputs[name] ?? '-'),
    ...comparison.metricNames.map((name) => cell(run.metrics[name])),
  ]);
  return [header, ...body];
}

export function comparisonTable(comparison: Comparison): string {
  const table = rows(comparison);
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
  return `${[line(table[0]!), line(widths.map((width) => '-'.repeat(width))), ...table.slice(1).map(line)].join('\n')}\n`;
}

export function comparisonMarkdown(comparison: Comparison): string {
  const table = rows(comparison);
  const escape = (value: string) => value.replace(/\|/g, '\\|');
  const line = (row: string[]) => `| ${row.map(escape).join(' | ')} |`;
  const align = table[0]!.map((_, column) => (column >= 2 + comparison.inputNames.length ? '---:' : '---'));
  return `${[line(table[0]!), `| ${align.join(' | ')} |`, ...table.slice(1).map(line)].join('\n')}\n`;
}
