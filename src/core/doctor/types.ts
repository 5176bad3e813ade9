/**
 * `mirror doctor` as data: facts gathered by the app in, one check per guardrail
 * out. Nothing here runs git or talks to a forge.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail';

export const LOCAL_CHECKS = ['hook-installed', 'upstream-remote', 'push-urls', 'policy-valid', 'gitignore-secrets', 'behind-upstream', 'no-paused-run'] as const;
export const FORGE_CHECKS = [
  'origin-private',
  'upstream-public',
  'secret-scanning',
  'push-protection',
  'branch-protection',
  'public-self-hosted-runners',
  'pull-request-target',
  'runner-lanes',
] as const;
/** `hook-workflow`: asked by `mirror fleet doctor` of each mirror's default branch (a clone's doctor has the hook itself) */
export type CheckId = (typeof LOCAL_CHECKS)[number] | (typeof FORGE_CHECKS)[number] | 'hook-workflow';

export interface DoctorCheck {
  id: CheckId;
  group: 'local' | 'forge';
  status: CheckStatus;
  message: string;
  /** what to do about it, one step per line (absent on a pass) */
  fix?: string;
  /** the check (or part of it) could not run: no token, no forge, not fetched */
  skipped?: boolean;
  /** one line per finding: files, jobs, remotes */
  details?: string[];
}

/**
 * Which side of the pattern this clone is. In a mirror, origin is the private
 * mirror and upstream the public project; in the public repository, origin is
 * the public side and there is no upstream.
 */
export type DoctorRole = 'mirror' | 'public';

export type HookState = 'current' | 'outdated' | 'missing' | 'foreign';

export const DEFAULT_MAX_BEHIND_COMMITS = 50;
export const DEFAULT_MAX_BEHIND_DAYS = 14;

const ORDER: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worst(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'pass');
}

export interface DoctorSummary {
  pass: number;
  warn: number;
  fail: number;
}

export function summarise(checks: readonly DoctorCheck[]): DoctorSummary {
  const summary: DoctorSummary = { pass: 0, warn: 0, fail: 0 };
  for (const check of checks) summary[check.status]++;
  return summary;
}

/** 1 when any check fails; warnings do not fail. */
export function doctorExitCode(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((check) => check.status === 'fail') ? 1 : 0;
}
