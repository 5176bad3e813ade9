import type { SyncUpPlan } from '../app/sync/plan-up.js';
import type { MirrorStatus } from '../app/sync/status.js';
import type { SyncDownResult } from '../app/sync/sync-down.js';
import type { SyncUpResult } from '../app/sync/sync-up.js';
import { printable } from './describe.js';
import { renderText } from './text.js';

const short = (oid: string) => oid.slice(0, 10);

export function renderPlan(plan: SyncUpPlan): string {
  const lines = [`sync-up plan: ${plan.upstreamRef} ${short(plan.base)} ← main ${short(plan.head)} (${plan.commits.length} candidate commit${plan.commits.length === 1 ? '' : 's'}, oldest first)`];
  for (const commit of plan.commits) {
    lines.push(`  ${commit.class.padEnd(9)} ${short(commit.oid)}  ${printable(commit.subject).slice(0, 60)}`);
    for (const reason of commit.reasons) lines.push(`            ${reason}`);
  }
  const replay = plan.commits.filter((commit) => commit.replay).length;
  const { counts } = plan;
  lines.push(
    `replay ${replay} · held back ${plan.commits.length - replay - counts.upstream - counts.empty} (private ${counts.private}, blocked ${counts.blocked}${counts.skipped ? `, skipped ${counts.skipped}` : ''}${plan.commits.some((c) => c.class === 'mixed' && !c.replay) ? `, mixed ${counts.mixed}` : ''}) · already upstream ${counts.upstream}${counts.empty ? ` · empty ${counts.empty}` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function pausedText(outcome: { reason: string; hints: string[]; worktree?: string }): string[] {
  return [`⏸ paused: ${outcome.reason}`, ...(outcome.worktree ? [`  worktree: ${outcome.worktree}`] : []), ...outcome.hints.map((hint) => `  → ${hint}`)];
}

export function renderSyncUp(result: SyncUpResult, cwd: string): string {
  const lines: string[] = [];
  if (result.plan) lines.push(renderPlan(result.plan).trimEnd(), '');
  switch (result.status) {
    case 'planned':
      lines.push('dry run: nothing was changed');
      break;
    case 'nothing-to-do':
      lines.push('✓ nothing new to propose upstream');
      break;
    case 'refused':
      lines.push('✗ the branch built for upstream does not pass the guard; nothing was pushed', '', renderText(result.report, { cwd }).trimEnd());
      break;
    case 'paused':
      lines.push(...pausedText(result.outcome));
      break;
    case 'done':
      lines.push(`✓ pushed ${result.branch} to ${result.remote} (${short(result.tip)})`);
      lines.push(result.pullRequestUrl ? `  pull request: ${result.pullRequestUrl}` : '  no pull request opened (--no-pr)');
      break;
  }
  return `${lines.join('\n')}\n`;
}

export function renderSyncDown(result: SyncDownResult): string {
  const lines = [`sync-down: ${result.upstreamRef} brought ${result.behind} commit${result.behind === 1 ? '' : 's'}; main was ${result.behind} behind and ${result.ahead} ahead`];
  for (const warning of result.warnings) lines.push(`  ! ${warning}`);
  switch (result.status) {
    case 'up-to-date':
      lines.push('✓ already up to date');
      break;
    case 'paused':
      lines.push(...pausedText(result.outcome));
      break;
    case 'done':
      lines.push(`✓ merged${result.pushedTo ? `; pushed to ${result.pushedTo}` : '; not pushed (--no-push)'}`);
      if (result.pullRequestUrl) lines.push(`  pull request: ${result.pullRequestUrl}`);
      break;
  }
  return `${lines.join('\n')}\n`;
}

export function renderStatus(status: MirrorStatus): string {
  const lines = [`mirror status (${status.branch} vs ${status.upstreamRef}, as last fetched)`];
  if (status.ahead !== undefined) lines.push(`  ahead ${status.ahead}, behind ${status.behind}`);
  if (status.unpushed !== undefined) lines.push(`  ${status.unpushed} commit(s) not yet pushed to the mirror`);
  if (status.waiting) {
    const w = status.waiting;
    lines.push(`  waiting to go up: ${w.public} public, ${w.mixed} mixed (public part), held back: ${w.private} private, ${w.blocked} blocked${w.skipped ? `, ${w.skipped} skipped` : ''}; ${w.upstream} already upstream`);
    if (status.proposed) lines.push(`  ${status.proposed} of them already proposed by an earlier sync-up (pull request pending)`);
  }
  lines.push(status.hold.length ? `  never proposed upstream (sync.hold): ${status.hold.join(', ')}` : '  sync.hold is empty');
  for (const skipped of status.skipped ?? []) lines.push(`  skipped: ${short(skipped.oid)} ${printable(skipped.reason)}`);
  for (const held of status.held ?? []) lines.push(`  held back: ${printable(held.path)} (${printable(held.reason)})`);
  for (const problem of status.problems) lines.push(`  ! ${problem}`);
  if (status.paused) lines.push(`  ⏸ ${status.paused.description}`, ...status.paused.hints.map((hint) => `    → ${hint}`));
  else lines.push('  no paused run');
  return `${lines.join('\n')}\n`;
}
