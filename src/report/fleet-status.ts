import type { FleetStatus } from '../app/fleet/status.js';
import { summaryLine } from '../core/fleet/verdict.js';

type Row = FleetStatus['mirrors'][number];

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

function gitCells(row: Row): { ahead: string; behind: string; merged: string } {
  if (row.git.state === 'unreachable') return { ahead: '-', behind: '-', merged: 'unreachable' };
  if (row.git.state === 'no-branch') return { ahead: '-', behind: '-', merged: `no branch ${row.git.branch}` };
  return { ahead: String(row.git.ahead), behind: String(row.git.behind), merged: row.git.lastMerge?.date ?? 'never' };
}

function runCell(row: Row): string {
  const forge = row.forge;
  if (forge.state === 'skipped') return 'skipped';
  if (forge.state === 'error') return 'error';
  const run = forge.lastRun;
  if (typeof run === 'string') return run;
  return run.status === 'completed' ? `${run.conclusion} ${run.createdAt}` : `${run.status} ${run.createdAt}`;
}

function pullsCell(row: Row): string {
  if (row.forge.state !== 'ok') return row.forge.state === 'skipped' ? 'skipped' : 'error';
  return row.forge.syncPulls.map((pull) => `#${pull.number}`).join(' ') || 'none';
}

function driftCell(row: Row): string {
  const check = row.checks.find((item) => item.check === 'drift');
  if (!check) return row.drift ? 'not judged' : '-';
  return check.level === 'ok' ? 'none' : `${row.drift?.drifted.length ?? 0} found`;
}

/** each check that needs attention, with its own mark (a warning on a failing mirror stays a warning) */
function problems(row: Row): { mark: string; message: string }[] {
  return row.checks.flatMap((check) => (check.level === 'fail' || check.level === 'warn' ? [{ mark: MARK[check.level], message: check.message }] : []));
}

export function renderFleetStatusText(status: FleetStatus): string {
  const judged = status.mirrors.some((row) => row.checks.some((check) => check.check === 'drift'));
  const header = ['', 'mirror', 'ahead', 'behind', 'last merge from upstream', 'last sync-down', 'sync PRs', ...(judged ? ['drift'] : [])];
  const rows = status.mirrors.map((row) => {
    const cells = gitCells(row);
    return [MARK[row.level], row.name, cells.ahead, cells.behind, cells.merged, runCell(row), pullsCell(row), ...(judged ? [driftCell(row)] : [])];
  });
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  const lines = [`upstream ${status.upstream.url} ${status.upstream.branch} @ ${status.upstream.tip.slice(0, 12)}`, '', line(header), ...rows.map(line)];
  const attention = status.mirrors.filter((row) => row.level !== 'ok');
  if (attention.length > 0) {
    lines.push('');
    for (const row of attention) for (const { mark, message } of problems(row)) lines.push(`${mark} ${row.name}: ${message}`);
  }
  const skipped = status.mirrors.find((row) => row.forge.state === 'skipped');
  if (skipped && skipped.forge.state === 'skipped') lines.push('', `forge facts: ${skipped.forge.reason}`);
  lines.push('', summaryLine(status.summary));
  return `${lines.join('\n')}\n`;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** For a job summary: one table, then what needs attention. */
export function renderFleetStatusMarkdown(status: FleetStatus): string {
  const judged = status.mirrors.some((row) => row.checks.some((check) => check.check === 'drift'));
  const lines = [
    `### Fleet: ${status.mirrors.length} mirror(s) of \`${escapeCell(status.upstream.branch)}\``,
    '',
    `| | mirror | ahead | behind | last merge from upstream | last sync-down | sync PRs |${judged ? ' drift |' : ''}`,
    `|---|---|---:|---:|---|---|---|${judged ? '---|' : ''}`,
  ];
  for (const row of status.mirrors) {
    const cells = gitCells(row);
    const values = [row.name, cells.ahead, cells.behind, cells.merged, runCell(row), pullsCell(row), ...(judged ? [driftCell(row)] : [])];
    lines.push(`| ${MARK[row.level]} | ${values.map(escapeCell).join(' | ')} |`);
  }
  const attention = status.mirrors.filter((row) => row.level !== 'ok');
  if (attention.length > 0) {
    lines.push('', '**Needs attention**', '');
    for (const row of attention) for (const { mark, message } of problems(row)) lines.push(`- ${mark} **${escapeCell(row.name)}**: ${escapeCell(message)}`);
  }
  lines.push('', summaryLine(status.summary));
  return `${lines.join('\n')}\n`;
}
