import type { DispatchResult } from '../app/run/dispatch.js';
import type { DownloadResult } from '../app/run/download.js';
import type { RunSummary, ShowResult } from '../app/run/list.js';
import type { WatchResult } from '../app/run/watch.js';
import { durationMs, formatDuration, stateWord } from '../core/run/outcome.js';

export function renderDispatch(result: DispatchResult): string {
  const runs = result.batch?.runs ?? [result.run];
  const lines = runs.map((run) => {
    const inputs = Object.entries(run.inputs)
      .filter(([name]) => name !== 'correlation_id')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    return `dispatched run ${run.id} (${run.workflow} on ${run.ref}${inputs ? `, ${inputs}` : ''})\n  ${run.htmlUrl}`;
  });
  if (result.batch) lines.push(`batch ${result.batch.id}: ${runs.length} runs; \`mirror run watch --all\` follows them`);
  else lines.push(`follow it: mirror run watch ${result.run.id}`);
  return `${lines.join('\n')}\n`;
}

export function renderWatchEnd(result: WatchResult): string {
  const lines = result.runs.map((run) => `run ${run.id}: ${stateWord(run)}  ${run.htmlUrl}`);
  if (result.timedOut) lines.push('mirror: the timeout passed before every run ended (exit 3); watch again to keep following');
  return `${lines.join('\n')}\n`;
}

export function renderDownload(result: DownloadResult): string {
  const lines: string[] = [];
  for (const run of result.runs) {
    for (const artifact of run.artifacts) {
      lines.push(`run ${run.id}: ${artifact.name} → ${artifact.dir} (${artifact.files.length} file(s), ${artifact.bytes} bytes${artifact.digest ? ', digest verified' : ', size verified'})`);
    }
    for (const log of run.logs) lines.push(`run ${run.id}: log → ${log}`);
  }
  return `${lines.join('\n')}\n`;
}

function runLine(run: RunSummary): string[] {
  const inputs = run.inputs
    ? Object.entries(run.inputs)
        .filter(([name]) => name !== 'correlation_id')
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')
    : '(inputs not recorded here)';
  return [
    `${run.id}  ${stateWord(run).padEnd(11)} ${formatDuration(run.durationMs).padStart(7)}  ${run.title}`,
    `    inputs: ${inputs || '-'}`,
    `    runners: ${run.runners.join(', ') || '-'}  labels: ${run.labels.join(', ') || '-'}`,
  ];
}

export function renderList(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs\n';
  return `${runs.flatMap(runLine).join('\n')}\n`;
}

export function renderShow(result: ShowResult): string {
  const lines = [...runLine(result.run), `    ${result.run.htmlUrl}`];
  for (const job of result.jobs) {
    lines.push(`  job ${job.name}: ${stateWord(job)} ${formatDuration(durationMs(job.startedAt, job.completedAt))}${job.runnerName ? ` on ${job.runnerName}` : ''}`);
    for (const step of job.steps) lines.push(`      ${step.number}. ${step.name}: ${stateWord(step)}`);
  }
  for (const artifact of result.artifacts) lines.push(`  artifact ${artifact.name}: ${artifact.sizeInBytes} bytes${artifact.expired ? ' (expired)' : artifact.expiresAt ? `, kept until ${artifact.expiresAt}` : ''}`);
  return `${lines.join('\n')}\n`;
}
