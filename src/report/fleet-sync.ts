import type { FleetSyncDown } from '../app/fleet/sync-down.js';
import { syncSummaryLine, type FleetSyncOutcome } from '../core/fleet/sync-down.js';

const WORD: Record<FleetSyncOutcome, string> = {
  merged: 'merged',
  'up-to-date': 'up to date',
  'pull-request': 'pull request',
  conflict: 'conflict',
  failed: 'failed',
  unreachable: 'unreachable',
};

function where(row: FleetSyncDown['mirrors'][number]): string {
  if (row.pullRequestUrl) return row.pullRequestUrl;
  if (row.run) return row.run.htmlUrl;
  return row.clone ?? '';
}

/** One row per mirror (outcome, then the pull request, run or clone to look at), what needs a person, a summary. */
export function renderFleetSyncText(report: FleetSyncDown): string {
  const header = ['', 'mirror', 'outcome', report.mode === 'local' ? 'clone / pull request' : 'run / pull request'];
  const rows = report.mirrors.map((row) => [row.ok ? '✓' : '✗', row.name, WORD[row.outcome], where(row)]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  const lines = [`upstream ${report.upstream.url} ${report.upstream.branch} (${report.mode === 'local' ? `local clones in ${report.clones}` : 'each mirror\'s mirror-sync-down workflow'})`, '', line(header), ...rows.map(line)];
  const attention = report.mirrors.filter((row) => !row.ok);
  if (attention.length > 0) {
    lines.push('');
    for (const row of attention) {
      lines.push(`✗ ${row.name}: ${row.message}`);
      if (row.outcome === 'conflict') {
        lines.push(
          report.mode === 'local'
            ? `    resolve in ${row.clone}: edit, \`git add\`, \`mirror continue\` (or \`mirror abort\`)`
            : '    resolve in a clone of the mirror: `mirror sync-down`, edit, `git add`, `mirror continue`',
        );
      }
    }
  }
  lines.push('', syncSummaryLine(report.summary));
  return `${lines.join('\n')}\n`;
}
