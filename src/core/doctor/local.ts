import type { ErrorDetail } from '../../errors.js';
import type { RemoteClassification } from '../remotes.js';
import { worst, type DoctorCheck, type DoctorRole, type HookState } from './types.js';

// ---- hook-installed ------------------------------------------------------------

/**
 * The pre-push hook is the guardrail (missing or replaced: fail); the pre-commit
 * hook is the early warning (missing: warn). An outdated hook still runs but
 * points at another mirror install.
 */
export function hookCheck(states: { 'pre-push': HookState; 'pre-commit': HookState }): DoctorCheck {
  const push = states['pre-push'];
  const commit = states['pre-commit'];
  const pushStatus = push === 'current' ? 'pass' : push === 'outdated' ? 'warn' : 'fail';
  const commitStatus = commit === 'current' ? 'pass' : 'warn';
  const status = worst([pushStatus, commitStatus]);
  const say = (hook: string, state: HookState) =>
    ({
      current: `${hook} hook installed and current`,
      outdated: `${hook} hook installed by another mirror version or path`,
      missing: `no ${hook} hook`,
      foreign: `${hook} hook is not mirror's`,
    })[state];
  const message = `${say('pre-push', push)}; ${say('pre-commit', commit)}`;
  if (status === 'pass') return { id: 'hook-installed', group: 'local', status, message };
  const chained = push === 'foreign' || commit === 'foreign' ? ' (an existing hook is kept and called first)' : '';
  return { id: 'hook-installed', group: 'local', status, message, fix: `mirror hook install --pre-commit${chained}` };
}

// ---- policy-valid ----------------------------------------------------------------

export interface PolicyFacts {
  role: DoctorRole;
  /** the repository's policy file, when there is one */
  file: string | undefined;
  errors: ErrorDetail[];
  /** how the policy in force classes the mirror remote (origin) */
  origin: RemoteClassification | undefined;
  originName: string;
}

export function policyCheck(facts: PolicyFacts): DoctorCheck {
  const base = { id: 'policy-valid' as const, group: 'local' as const };
  if (facts.errors.length > 0) {
    const first = facts.errors[0]!;
    const where = [first.file, first.line, first.column].filter((part) => part !== undefined).join(':');
    return {
      ...base,
      status: 'fail',
      message: `the policy is invalid (${facts.errors.length} error${facts.errors.length > 1 ? 's' : ''}); every push is refused until it is fixed`,
      details: facts.errors.map((error) => `${[error.file, error.line, error.column].filter((part) => part !== undefined).join(':')}${error.field ? ` ${error.field}` : ''}: ${error.message}`),
      fix: `fix ${where || 'the policy'}; \`mirror policy check\` lists every error with its line`,
    };
  }
  if (facts.file === undefined) {
    return {
      ...base,
      status: 'warn',
      message: 'no .mirror/policy.yml: mirror\'s defaults apply and every remote counts as public',
      fix: facts.role === 'mirror' ? 'mirror init (writes a policy with origin private and upstream public)' : 'mirror init --public',
    };
  }
  if (facts.role === 'mirror' && facts.origin?.class !== 'private') {
    return {
      ...base,
      status: 'warn',
      message: `valid, but ${facts.originName} is not classed private (${facts.origin?.reason ?? 'no such remote'}): pushes of private files to the mirror are refused`,
      fix: `list ${facts.originName} under remotes.private in .mirror/policy.yml`,
    };
  }
  return { ...base, status: 'pass', message: `valid (${facts.file})${facts.origin ? `; ${facts.originName} is ${facts.origin.class}` : ''}` };
}

// ---- upstream-remote -------------------------------------------------------------

export interface UpstreamFacts {
  name: string;
  branch: string;
  /** as configured; undefined when there is no such remote */
  url: string | undefined;
  classification: RemoteClassification | undefined;
  /** whether `refs/remotes/<name>/<branch>` exists */
  fetched: boolean;
}

export function upstreamRemoteCheck(facts: UpstreamFacts): DoctorCheck {
  const base = { id: 'upstream-remote' as const, group: 'local' as const };
  if (facts.url === undefined) {
    return {
      ...base,
      status: 'fail',
      message: `no "${facts.name}" remote: sync-down and sync-up cannot work`,
      fix: `mirror init --upstream URL (or git remote add ${facts.name} URL && git fetch ${facts.name})`,
    };
  }
  if (facts.classification?.class === 'private') {
    return {
      ...base,
      status: 'fail',
      message: `${facts.name} is classed private (${facts.classification.reason}): private files would not be refused toward the public project`,
      fix: `list ${facts.name} under remotes.public (and not under remotes.private) in .mirror/policy.yml`,
    };
  }
  if (!facts.fetched) {
    return {
      ...base,
      status: 'warn',
      message: `${facts.name} → ${facts.url}, but ${facts.name}/${facts.branch} has not been fetched`,
      fix: `git fetch ${facts.name}`,
    };
  }
  return { ...base, status: 'pass', message: `${facts.name} → ${facts.url} (public)` };
}

// ---- push-urls -------------------------------------------------------------------

export interface RemoteUrlFacts {
  name: string;
  /** how the remote is classed by its fetch URLs, and by where a push to it goes */
  fetch: RemoteClassification;
  push: RemoteClassification;
  /** printable (credentials redacted) */
  pushUrls: string[];
}

/**
 * A remote whose pushes go somewhere its fetch URL does not (a `pushurl`,
 * `pushInsteadOf`) is where a private mirror quietly becomes a public one: the
 * guard classes the push by where it goes, so say so before the refusal surprises.
 */
export function pushUrlsCheck(remotes: readonly RemoteUrlFacts[]): DoctorCheck {
  const base = { id: 'push-urls' as const, group: 'local' as const };
  const disagree = remotes.filter((remote) => remote.fetch.class !== remote.push.class);
  if (disagree.length === 0) {
    return { ...base, status: 'pass', message: remotes.length === 0 ? 'no remotes' : `every remote pushes where it fetches from (${remotes.length} checked)` };
  }
  return {
    ...base,
    status: disagree.some((remote) => remote.fetch.class === 'private') ? 'fail' : 'warn',
    message: `${disagree.length} remote${disagree.length > 1 ? 's push' : ' pushes'} to a URL of another class than ${disagree.length > 1 ? 'their' : 'its'} fetch URL`,
    details: disagree.map((remote) => `${remote.name}: fetch is ${remote.fetch.class}, push is ${remote.push.class} (${remote.push.reason}); push URLs: ${remote.pushUrls.join(', ')}`),
    fix: disagree
      .map((remote) => `git config --unset-all remote.${remote.name}.pushurl (or list the push URL under remotes.${remote.fetch.class} in .mirror/policy.yml if it is meant)`)
      .join('\n'),
  };
}

// ---- gitignore-secrets -------------------------------------------------------------

export interface GitignoreFacts {
  role: DoctorRole;
  /** sample secret files the repository's ignore rules do not ignore */
  notIgnored: string[];
  /** sample paths the mirror must track that the rules ignore */
  wronglyIgnored: string[];
  /** tracked files inside the dotenv / key-material zones */
  tracked: { path: string; zone: string }[];
}

export function gitignoreCheck(facts: GitignoreFacts): DoctorCheck {
  const base = { id: 'gitignore-secrets' as const, group: 'local' as const };
  const list = (paths: string[]) => (paths.length > 5 ? `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more` : paths.join(', '));
  if (facts.tracked.length > 0) {
    return {
      ...base,
      status: 'fail',
      message: `${facts.tracked.length} tracked file${facts.tracked.length > 1 ? 's look' : ' looks'} like a local secret file: ${list(facts.tracked.map((file) => file.path))}`,
      details: facts.tracked.map((file) => `${file.path} (zone ${file.zone})`),
      fix: 'git rm --cached each file, rotate whatever it held, and ignore it (mirror init adds the entries); commit a template as .env.example instead. If a file holds no secret, exclude it from the zone in .mirror/policy.yml',
    };
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (facts.notIgnored.length > 0) {
    problems.push(`not ignored: ${list(facts.notIgnored)}`);
    fixes.push('mirror init (adds .gitignore entries for .env files and key material)');
  }
  if (facts.wronglyIgnored.length > 0) {
    problems.push(`ignored although ${facts.role === 'mirror' ? 'the mirror tracks them' : 'they should be committable'}: ${list(facts.wronglyIgnored)}`);
    fixes.push(`remove the rule that ignores them (\`git check-ignore -v ${facts.wronglyIgnored[0]}\` names it)`);
  }
  if (problems.length > 0) return { ...base, status: 'warn', message: problems.join('; '), fix: fixes.join('\n') };
  return { ...base, status: 'pass', message: 'local secret files (.env files, key material) are ignored and none is tracked' };
}

// ---- behind-upstream ---------------------------------------------------------------

export interface BehindFacts {
  upstreamRef: string;
  branch: string;
  /** undefined when either ref is missing */
  behind: number | undefined;
  /** which ref is missing, when `behind` is undefined */
  missing?: 'branch' | 'upstream';
  /** committer date of the oldest upstream commit main lacks */
  oldest: Date | undefined;
  now: Date;
  maxCommits: number;
  maxDays: number;
}

const DAY = 86_400_000;

export function behindCheck(facts: BehindFacts): DoctorCheck {
  const base = { id: 'behind-upstream' as const, group: 'local' as const };
  if (facts.behind === undefined) {
    const missing = facts.missing === 'branch' ? `there is no local ${facts.branch}` : `${facts.upstreamRef} is not fetched`;
    const fix = facts.missing === 'branch' ? `git branch ${facts.branch} ${facts.upstreamRef}` : `git fetch ${facts.upstreamRef.split('/')[0]}`;
    return { ...base, status: 'warn', skipped: true, message: `cannot tell: ${missing}`, fix };
  }
  if (facts.behind === 0) return { ...base, status: 'pass', message: `${facts.branch} has everything from ${facts.upstreamRef} (as of the last fetch)` };
  const days = facts.oldest ? Math.max(0, Math.floor((facts.now.getTime() - facts.oldest.getTime()) / DAY)) : 0;
  const what = `${facts.branch} is ${facts.behind} commit${facts.behind > 1 ? 's' : ''} behind ${facts.upstreamRef}, the oldest from ${days} day${days === 1 ? '' : 's'} ago (as of the last fetch)`;
  const over = facts.behind > facts.maxCommits || days > facts.maxDays;
  if (!over) return { ...base, status: 'pass', message: `${what}; within ${facts.maxCommits} commits and ${facts.maxDays} days` };
  return {
    ...base,
    status: 'warn',
    message: `${what}: past ${facts.behind > facts.maxCommits ? `${facts.maxCommits} commits` : `${facts.maxDays} days`}`,
    fix: 'mirror sync-down (the longer a mirror waits, the harder the merge)',
  };
}

// ---- no-paused-run -----------------------------------------------------------------

export function pausedCheck(facts: { paused?: { description: string; hints: string[] }; error?: string }): DoctorCheck {
  const base = { id: 'no-paused-run' as const, group: 'local' as const };
  if (facts.error !== undefined) return { ...base, status: 'warn', message: facts.error, fix: 'finish or abort it with the mirror version that started it, or delete the run state file' };
  if (facts.paused) {
    return { ...base, status: 'warn', message: facts.paused.description, fix: facts.paused.hints.join('; ') || 'mirror continue, or mirror abort' };
  }
  return { ...base, status: 'pass', message: 'no sync is paused or interrupted' };
}
