/**
 * Which mirrors of a fleet need attention, decided from plain facts. No git, no
 * network: the app gathers the facts, this says what they mean.
 */

import type { DriftReport } from './drift.js';

export type Level = 'ok' | 'warn' | 'fail' | 'skip';

export type GitFacts =
  | { state: 'unreachable'; error: string }
  /** the mirror answered but has no such branch */
  | { state: 'no-branch'; branch: string }
  /** `conflicts`: the files merging upstream in would leave in conflict (present only when there are some) */
  | { state: 'ok'; ahead: number; behind: number; lastMerge: { commit: string; date: string } | undefined; conflicts?: string[] };

export interface RunFact {
  status: string;
  conclusion: string | null;
  createdAt: string;
  url: string;
}

export type ForgeFacts =
  | { state: 'skipped'; reason: string }
  | { state: 'error'; error: string }
  | { state: 'ok'; lastRun: RunFact | 'none' | 'no-workflow' | 'unavailable'; syncPulls: { number: number; url: string; head: string }[] };

export interface MirrorFacts {
  name: string;
  labels: string[];
  branch: string;
  git: GitFacts;
  forge: ForgeFacts;
  /** read from the mirror's branch in the cache; absent when the branch could not be read */
  drift?: DriftReport;
}

export interface Check {
  check: 'reachable' | 'branch' | 'behind' | 'conflict' | 'sync-down-run' | 'sync-pulls' | 'drift';
  level: Level;
  message: string;
}

export interface MirrorVerdict extends MirrorFacts {
  level: Exclude<Level, 'skip'>;
  checks: Check[];
}

export interface FleetSummary {
  mirrors: number;
  ok: number;
  warn: number;
  fail: number;
  unreachable: number;
  behind: number;
  forgeSkipped: number;
  drifted: number;
}

export interface VerdictOptions {
  /** a mirror further behind than this fails; default 0 */
  maxBehind?: number;
  /** whether drift is judged: the fleet file says what it expects (`expect:`); else it is only reported */
  judgeDrift?: boolean;
  /** how drift counts (the fleet file's `expect.level`); default warn */
  driftLevel?: 'warn' | 'fail';
}

export function judgeMirror(facts: MirrorFacts, options: VerdictOptions = {}): MirrorVerdict {
  const maxBehind = options.maxBehind ?? 0;
  const checks: Check[] = [];
  const git = facts.git;
  if (git.state === 'unreachable') {
    checks.push({ check: 'reachable', level: 'fail', message: `unreachable: ${git.error}` });
  } else if (git.state === 'no-branch') {
    checks.push({ check: 'branch', level: 'fail', message: `has no branch ${git.branch}` });
  } else {
    const behind = git.behind > maxBehind;
    checks.push({
      check: 'behind',
      level: behind ? 'fail' : 'ok',
      message: git.behind === 0 ? 'up to date with upstream' : `${git.behind} commit(s) behind upstream${behind ? '' : ` (allowed: ${maxBehind})`}`,
    });
    // whatever the lag allowed, a merge that cannot go through unattended needs a person
    if (git.conflicts?.length) checks.push({ check: 'conflict', level: 'fail', message: `merging upstream would conflict in ${git.conflicts.join(', ')}: resolve it with \`mirror sync-down\` in a clone` });
  }
  if (facts.drift && options.judgeDrift) {
    const drifted = facts.drift.drifted;
    checks.push(
      drifted.length === 0
        ? { check: 'drift', level: 'ok', message: 'no drift from what the fleet expects' }
        : { check: 'drift', level: options.driftLevel ?? 'warn', message: `drift: ${drifted.join('; ')}` },
    );
  }
  checks.push(...forgeChecks(facts.forge));
  const level = checks.some((check) => check.level === 'fail') ? 'fail' : checks.some((check) => check.level === 'warn') ? 'warn' : 'ok';
  return { ...facts, level, checks };
}

function forgeChecks(forge: ForgeFacts): Check[] {
  if (forge.state === 'skipped') return [{ check: 'sync-down-run', level: 'skip', message: `forge facts skipped: ${forge.reason}` }];
  if (forge.state === 'error') return [{ check: 'sync-down-run', level: 'fail', message: `forge unreadable: ${forge.error}` }];
  const checks: Check[] = [];
  const run = forge.lastRun;
  if (run === 'none') checks.push({ check: 'sync-down-run', level: 'warn', message: 'mirror-sync-down never ran' });
  else if (run === 'no-workflow') checks.push({ check: 'sync-down-run', level: 'fail', message: 'no mirror-sync-down workflow (run `mirror init` in the mirror)' });
  else if (run === 'unavailable') checks.push({ check: 'sync-down-run', level: 'skip', message: 'this forge version has no workflow runs list' });
  else if (run.status !== 'completed') checks.push({ check: 'sync-down-run', level: 'ok', message: `last sync-down ${run.status} (${run.createdAt})` });
  else if (run.conclusion === 'success') checks.push({ check: 'sync-down-run', level: 'ok', message: `last sync-down succeeded (${run.createdAt})` });
  else checks.push({ check: 'sync-down-run', level: 'fail', message: `last sync-down ${run.conclusion ?? 'ended without a conclusion'} (${run.createdAt}) ${run.url}` });
  if (forge.syncPulls.length > 0) {
    checks.push({ check: 'sync-pulls', level: 'warn', message: `open sync pull request(s): ${forge.syncPulls.map((pull) => `#${pull.number} ${pull.head}`).join(', ')}` });
  }
  return checks;
}

export function summarise(verdicts: readonly MirrorVerdict[]): FleetSummary {
  return {
    mirrors: verdicts.length,
    ok: verdicts.filter((v) => v.level === 'ok').length,
    warn: verdicts.filter((v) => v.level === 'warn').length,
    fail: verdicts.filter((v) => v.level === 'fail').length,
    unreachable: verdicts.filter((v) => v.git.state === 'unreachable').length,
    behind: verdicts.filter((v) => v.git.state === 'ok' && v.git.behind > 0).length,
    forgeSkipped: verdicts.filter((v) => v.forge.state === 'skipped').length,
    drifted: verdicts.filter((v) => v.checks.some((check) => check.check === 'drift' && check.level !== 'ok')).length,
  };
}

export function summaryLine(summary: FleetSummary): string {
  const parts = [`${summary.mirrors} mirror(s)`, `${summary.ok} ok`, `${summary.warn} warn`, `${summary.fail} fail`];
  if (summary.unreachable) parts.push(`${summary.unreachable} unreachable`);
  parts.push(`${summary.behind} behind upstream`);
  if (summary.drifted) parts.push(`${summary.drifted} drifted`);
  if (summary.forgeSkipped) parts.push(`forge facts skipped for ${summary.forgeSkipped}`);
  return parts.join(', ');
}
