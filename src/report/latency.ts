import type { LatencyReport } from '../app/audit/latency.js';
import type { Group } from '../core/lanes/latency.js';
import type { Spread } from '../core/lanes/percentiles.js';

export const LATENCY_FORMATS = ['table', 'markdown'] as const;
export type LatencyFormat = (typeof LATENCY_FORMATS)[number];

/** Seconds as a person reads them: `45 s`, `6 m 0 s`, `1 h 2 m`. Whole seconds: the forges report whole seconds. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}

export const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

function rows(groups: Group[]): string[][] {
  return groups.map((group) => [group.key, String(group.queue.count), duration(group.queue.p50), duration(group.queue.p95), duration(group.queue.max), duration(group.run.p50), duration(group.run.p95), percent(group.queuedShare)]);
}

const HEAD = ['JOBS', 'QUEUE p50', 'p95', 'max', 'RUN p50', 'p95', 'QUEUED'];

function table(all: string[][]): string[] {
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The what-if in one sentence, with both figures on each side. */
export function whatIfSentence(report: LatencyReport): string {
  const w = report.whatIf;
  const p = (spread: Spread) => duration(spread.p95);
  return `if the ${w.moved} external-safe job${w.moved === 1 ? '' : 's'} moved to an external lane with pickup ${w.pickup} s, the p95 queue of the remaining local-only jobs would go from ${p(w.remaining.before)} to ${p(w.remaining.after)} and the external-safe jobs' from ${p(w.movedQueue.before)} to ${p(w.movedQueue.after)}`;
}

export function renderLatency(report: LatencyReport, format: LatencyFormat): string {
  return format === 'markdown' ? renderLatencyMarkdown(report) : renderLatencyTable(report);
}

function renderLatencyTable(report: LatencyReport): string {
  const out: string[] = [];
  out.push(`repository ${report.repository} (${report.forge}), runs created since ${report.window.since}: ${report.window.runs} runs, ${report.baseline.jobs.length} jobs measured`);
  for (const note of [...report.notes, ...report.baseline.notes]) out.push(`note       ${note}`);
  out.push('', ...table([['LANE', ...HEAD], ...rows(report.baseline.byLane)]));
  out.push('', ...table([['CLASS', ...HEAD], ...rows(report.baseline.byClass)]));
  out.push('', `what-if: ${whatIfSentence(report)}`);
  for (const assumption of report.whatIf.assumptions) out.push(`  model: ${assumption}`);
  return `${out.join('\n')}\n`;
}

export function latencyMarkdownTables(report: LatencyReport): string[] {
  const md = (head: string, groups: Group[]) => [
    `| ${head} | Jobs | Queue p50 | Queue p95 | Queue max | Run p50 | Run p95 | Share of wall time queued |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows(groups).map((row) => `| ${row[0]!.replace(/\|/g, '\\|')} | ${row.slice(1).join(' | ')} |`),
  ];
  return [...md('Lane', report.baseline.byLane), '', ...md('Class', report.baseline.byClass)];
}

function renderLatencyMarkdown(report: LatencyReport): string {
  const out = ['# CI queue-time baseline', ''];
  out.push(`Repository \`${report.repository}\`, runs created from ${report.window.since} to ${report.window.until}: ${report.window.runs} runs, ${report.baseline.jobs.length} jobs measured.`, '');
  for (const note of [...report.notes, ...report.baseline.notes]) out.push(`> ${note}`, '');
  out.push(...latencyMarkdownTables(report), '');
  out.push('## What-if', '', `${whatIfSentence(report).replace(/^if/, 'If')}.`, '', 'Model:', '', ...report.whatIf.assumptions.map((line) => `- ${line}`));
  return `${out.join('\n')}\n`;
}
