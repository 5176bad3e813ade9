import type { FastCommit, ReplayChange } from '../../core/sync/fast-replay.js';
import type { PullRequestPlan } from '../../core/sync/pull-request-text.js';

/** The steps sync-up compiles a plan into; each is small, idempotent or recoverable. */
export type UpStep =
  /** writes the first commits with git fast-import: no worktree, no index */
  | { op: 'fast-replay'; commits: { oid: string; message: string; changes: ReplayChange[] }[] }
  | { op: 'worktree-add' }
  /** cherry-picks a run of commits whose messages may go public unchanged */
  | { op: 'pick'; commits: string[] }
  /** replays one commit without its private paths, or with a rewritten message */
  | { op: 'pick-partial'; commit: string; message: string; dropPaths: string[]; squash?: string[] }
  | { op: 'verify' }
  | { op: 'set-branch' }
  | { op: 'push' }
  | { op: 'pull-request' }
  | { op: 'record' }
  | { op: 'worktree-remove' };

export interface UpContext {
  worktree: string;
  /** upstream/main when the run was planned */
  base: string;
  /** the branch built and pushed (`mirror/sync-up` by default) */
  branch: string;
  pushRemote: string;
  upstreamRemote: string;
  targetBranch: string;
  /** the local branch's value when the run started, restored by abort ('' when it did not exist) */
  previousBranch?: string;
  /** the tip the fast replay wrote (the worktree, when needed, starts there) */
  replayTip?: string;
  /** some commits need a content merge, so the run replays them in a worktree */
  usesWorktree: boolean;
  /** the verified tip */
  tip?: string;
  /** the commits replayed, in order (for the notes mapping) */
  replayed: string[];
  /** `plan` lists the commits by public title; `title` and `body` are what runs saved before it was added */
  pullRequest: { open: boolean; plan?: PullRequestPlan; title?: string; body?: string; apiUrl?: string; forge?: 'github' | 'forgejo' };
  pullRequestUrl?: string;
  /** replayed commits the run left out: with `mirror skip`, or because picking them changed nothing */
  /** while `mirror skip` runs: the reason the run had paused with (what the skip record keeps) */
  skipping?: string;
  dropped?: { oid: string; why: 'skipped' | 'empty'; reason?: string; at?: string }[];
  /** replayed commit → its copy on the branch, worked out once the branch is verified */
  copies?: Record<string, string>;
  published?: number;
}

const MAX_PICK_RUN = 500;

/**
 * Consecutive commits that go up unchanged are picked in one git process; the
 * rest (split commits, rewritten messages) one by one.
 */
export function compileUpSteps(
  plan: { replay: { oid: string; message: string; publicMessage: string; dropPaths: string[]; squash?: string[] }[]; fast: FastCommit[] },
  options: { push: boolean; pullRequest: boolean },
): UpStep[] {
  const steps: UpStep[] = [];
  const fast = new Map(plan.fast.map((commit) => [commit.oid, commit.changes]));
  const prefix = plan.replay.slice(0, plan.fast.length);
  if (prefix.length) steps.push({ op: 'fast-replay', commits: prefix.map((commit) => ({ oid: commit.oid, message: commit.publicMessage, changes: fast.get(commit.oid)! })) });
  const rest = plan.replay.slice(plan.fast.length);
  if (rest.length) steps.push({ op: 'worktree-add' });
  let run: string[] = [];
  const flush = () => {
    if (run.length) steps.push({ op: 'pick', commits: run });
    run = [];
  };
  for (const commit of rest) {
    if (commit.dropPaths.length === 0 && !commit.squash && normalise(commit.message) === normalise(commit.publicMessage)) {
      run.push(commit.oid);
      if (run.length >= MAX_PICK_RUN) flush();
    } else {
      flush();
      steps.push({ op: 'pick-partial', commit: commit.oid, message: commit.publicMessage, dropPaths: commit.dropPaths, ...(commit.squash ? { squash: commit.squash } : {}) });
    }
  }
  flush();
  steps.push({ op: 'verify' }, { op: 'set-branch' });
  if (options.push) steps.push({ op: 'push' });
  if (options.push && options.pullRequest) steps.push({ op: 'pull-request' });
  if (options.push) steps.push({ op: 'record' });
  if (rest.length) steps.push({ op: 'worktree-remove' });
  return steps;
}

const normalise = (message: string) => message.replace(/\r\n/g, '\n').trimEnd();
