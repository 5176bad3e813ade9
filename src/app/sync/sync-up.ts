import { join } from 'node:path';
import { snapshotRefs } from '../../adapters/git/ref-snapshot.js';
import { Repository } from '../../adapters/git/repository.js';
import type { GuardReport } from '../../core/guard/types.js';
import { pullRequestPlan } from '../../core/sync/pull-request-text.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { execute, type Outcome } from '../../program/interpreter.js';
import { withRunLock } from '../../program/lock.js';
import { clearRunState, loadRunState, saveRunState, RUN_STATE_VERSION, type RunState } from '../../program/state.js';
import { createDetector } from '../../core/detect/index.js';
import { redactIdentifiers } from '../../core/identifiers.js';
import { branchNameProblem, DEFAULT_BRANCH_NAMES, type BranchNameProblem } from '../../core/sync/branch-name.js';
import { preparePolicy, type GuardOptions, type Prepared } from '../guard/context.js';
import { planSyncUp, type SyncUpPlan } from './plan-up.js';
import { updateSkipped, type SkipRecord } from './skipped.js';
import { abortUp, RefusedByGuard, upHandlers, upRunRefs } from './up-handlers.js';
import { compileUpSteps, type UpContext, type UpStep } from './up-steps.js';

export interface SyncUpRequest extends GuardOptions {
  cwd: string;
  branch?: string;
  pushRemote?: string;
  split: boolean;
  pullRequest: boolean;
  dryRun: boolean;
  fetch: boolean;
  apiUrl?: string;
  forge?: 'github' | 'forgejo';
  /** propose the commits earlier runs skipped again */
  retrySkipped?: boolean;
  /** publish a blocked commit and the next one that removes what blocked it as one commit */
  squashFixed?: boolean;
  /** commits (any revision) to leave out now and in later runs */
  skip?: string[];
}

/** `plan` is absent when a paused run is resumed: it was shown when the run started. */
export type SyncUpResult =
  | { status: 'planned'; plan: SyncUpPlan }
  | { status: 'nothing-to-do'; plan: SyncUpPlan }
  | { status: 'refused'; plan?: SyncUpPlan; report: GuardReport }
  | { status: 'paused'; plan?: SyncUpPlan; outcome: Extract<Outcome, { status: 'paused' }> }
  | { status: 'done'; plan?: SyncUpPlan; branch: string; remote: string; tip: string; pullRequestUrl?: string };

export const DEFAULT_SYNC_BRANCH = DEFAULT_BRANCH_NAMES[0];

/**
 * The branch's name is published with it: a --branch carrying a private
 * identifier or a secret is refused (exit 2, named by the identifier's label or
 * the masked secret, never spelt out); without --branch, the first clean default.
 */
export function choosePublishBranch(requested: string | undefined, prepared: Prepared): string {
  const scanner = createDetector(prepared.policy.detection);
  const why = (problem: BranchNameProblem) =>
    problem.kind === 'identifier' ? `it carries the private identifier [${problem.label}]` : `it carries a secret (${problem.rule}: ${problem.masked})`;
  if (requested !== undefined) {
    const problem = branchNameProblem(requested, prepared.identifiers, scanner);
    if (!problem) return requested;
    throw new MirrorError('publish-branch-private', `sync-up will not push the branch given with --branch: ${why(problem)}, and a branch's name is public once pushed`, {
      exitCode: ExitCode.usage,
      suggestions: [`name another branch with --branch, or leave it out (sync-up then picks a clean name, ${DEFAULT_SYNC_BRANCH} by default)`],
    });
  }
  const clean = DEFAULT_BRANCH_NAMES.find((name) => !branchNameProblem(name, prepared.identifiers, scanner));
  if (clean) return clean;
  throw new MirrorError('publish-branch-private', `every default branch name carries a private identifier (${DEFAULT_BRANCH_NAMES.map((name) => redactIdentifiers(name, prepared.identifiers)).join(', ')})`, {
    exitCode: ExitCode.usage,
    suggestions: ['name a clean branch with --branch'],
  });
}

export function refuseIfPaused(repo: Repository): void {
  const state = loadRunState<{ op: string }, unknown>(repo.info.commonDir);
  if (state) {
    throw new MirrorError('run-in-progress', `a ${state.command} run is not finished`, {
      exitCode: ExitCode.usage,
      suggestions: ['finish it with `mirror continue` (or `mirror skip`), or undo it with `mirror abort`'],
    });
  }
}

/**
 * sync-up resets the branch it builds (update-ref) and force-pushes it, so it
 * must be a branch of its own: not the mirror's main, not a remote's default
 * branch, not one checked out in any worktree of this repository.
 */
export async function refuseUnsafeBranch(repo: Repository, branch: string, options: { targetBranch: string; remotes: readonly string[] }): Promise<void> {
  const refuse = (code: string, why: string, suggestion = 'name another branch with --branch (the default is mirror/sync-up)') => {
    throw new MirrorError(code, `sync-up will not build ${JSON.stringify(branch)}: ${why}`, { exitCode: ExitCode.usage, suggestions: [suggestion] });
  };
  const checked = await repo.git(['check-ref-format', '--branch', branch], { okCodes: [1, 128] });
  if (checked.code !== 0 || checked.stdout.toString('utf8').trim() !== branch || branch.startsWith('-')) refuse('publish-branch-invalid', 'it is not a valid branch name');
  const reason = "sync-up resets that branch and force-pushes it";
  if (branch === options.targetBranch) refuse('publish-branch-protected', `it is the mirror's ${options.targetBranch} (and the upstream branch pull requests go to); ${reason}`);
  // a remote's HEAD is often not recorded locally (git remote add + fetch leaves it out): the usual names count too
  if (branch === 'main' || branch === 'master') refuse('publish-branch-protected', `it is the usual name of a default branch; ${reason}`);
  for (const remote of new Set(options.remotes)) {
    const head = await repo.git(['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { okCodes: [1, 128] });
    const target = head.stdout.toString('utf8').trim();
    if (target === `refs/remotes/${remote}/${branch}`) refuse('publish-branch-protected', `it is the default branch of ${remote}; ${reason}`);
  }
  const worktrees = (await repo.text(['worktree', 'list', '--porcelain', '-z'])).split('\0');
  let path = '';
  for (const line of worktrees) {
    if (line.startsWith('worktree ')) path = line.slice('worktree '.length);
    else if (line === `branch refs/heads/${branch}`) {
      refuse('publish-branch-checked-out', `it is checked out in ${path}; ${reason}`, `switch that worktree to another branch first, or name another branch with --branch`);
    }
  }
}

/**
 * Builds a branch off upstream/main holding only what may go public, checks it
 * with the guard, pushes it and opens (or updates) the pull request. The user's
 * checkout, index and files are never touched: commits that apply without
 * merging are written by fast-import, the rest replayed in a temporary worktree
 * under the git directory.
 */
export async function syncUp(request: SyncUpRequest): Promise<SyncUpResult> {
  const repo = await Repository.open(request.cwd);
  // a dry run changes nothing of the run's, so it need not wait for one
  if (request.dryRun) return syncUpIn(repo, request);
  return withRunLock(repo.info.commonDir, 'sync-up', () => syncUpIn(repo, request));
}

async function syncUpIn(repo: Repository, request: SyncUpRequest): Promise<SyncUpResult> {
  refuseIfPaused(repo);
  const prepared = await preparePolicy(repo, request);
  const branch = choosePublishBranch(request.branch, prepared);
  const { upstreamRemote, branch: targetBranch } = prepared.policy.sync;
  // taken before the fetch: abort puts back every ref the run may move (branch, notes, tracking refs)
  const refsBefore = await snapshotRefs(repo, upRunRefs(upstreamRemote, request.pushRemote ?? upstreamRemote, branch));
  if (request.fetch) await repo.fetch(upstreamRemote);
  const skip = await skipRecordsFor(repo, request.skip ?? []);
  // a dry run shows what --skip would do and remembers nothing
  if (skip.length > 0 && !request.dryRun) updateSkipped(repo.info.commonDir, { replayed: [], skipped: skip });
  const plan = await planSyncUp(repo, prepared, { split: request.split, retrySkipped: request.retrySkipped, skip, squashFixed: request.squashFixed });
  if (request.dryRun) return { status: 'planned', plan };

  const pushRemote = request.pushRemote ?? upstreamRemote;
  await refuseUnsafeBranch(repo, branch, { targetBranch, remotes: [upstreamRemote, pushRemote] });
  const replay = plan.commits.filter((commit) => commit.replay);
  if (replay.length === 0) return { status: 'nothing-to-do', plan };
  // the same work is already on the branch (its pull request is open): nothing new to propose
  const tip = await repo.commitOf(`refs/heads/${branch}`);
  if (tip && replay.every((commit) => plan.proposed[commit.oid]?.branch === branch && plan.proposed[commit.oid]?.tip === tip)) {
    return { status: 'nothing-to-do', plan };
  }

  const messages = new Map(replay.map((commit) => [commit.oid, commit]));
  const originals = await repo.text(['log', '--no-walk=unsorted', '--format=%H%x00%B%x01', ...replay.map((commit) => commit.oid)]);
  const steps = compileUpSteps(
    {
      replay: originals
        .split('\x01')
        .map((chunk) => chunk.replace(/^\n/, ''))
        .filter(Boolean)
        .map((chunk) => {
          const [oid, message] = chunk.split('\0') as [string, string];
          const commit = messages.get(oid)!;
          return { oid, message, publicMessage: commit.publicMessage, dropPaths: commit.dropPaths, squash: commit.squash };
        }),
      fast: plan.fastReplay,
    },
    { push: true, pullRequest: request.pullRequest },
  );
  const context: UpContext = {
    worktree: join(repo.info.commonDir, 'mirror', 'sync-up-worktree'),
    base: plan.base,
    branch,
    // taken now, saved before any step runs: abort restores it even after a crash inside set-branch
    previousBranch: tip ?? '',
    pushRemote,
    upstreamRemote,
    targetBranch,
    replayed: replay.map((commit) => commit.oid),
    usesWorktree: steps.some((step) => step.op === 'worktree-add'),
    pullRequest: { open: request.pullRequest, plan: pullRequestPlan(plan.commits), apiUrl: request.apiUrl, forge: request.forge },
  };
  const state: RunState<UpStep, UpContext> = {
    version: RUN_STATE_VERSION,
    command: 'sync-up',
    startedAt: new Date().toISOString(),
    steps,
    cursor: 0,
    before: { refs: refsBefore },
    context,
  };
  saveRunState(repo.info.commonDir, state);
  return runUp(repo, prepared, state, 'run', plan);
}

async function skipRecordsFor(repo: Repository, revisions: readonly string[]): Promise<SkipRecord[]> {
  const records: SkipRecord[] = [];
  for (const revision of revisions) {
    const oid = revision.startsWith('-') ? undefined : await repo.commitOf(revision);
    if (!oid) throw new MirrorError('skip-unknown', `--skip ${JSON.stringify(revision)} names no commit`, { exitCode: ExitCode.usage });
    records.push({ oid, reason: 'left out with sync-up --skip', date: new Date().toISOString() });
  }
  return records;
}

export async function runUp(
  repo: Repository,
  prepared: Awaited<ReturnType<typeof preparePolicy>>,
  state: RunState<UpStep, UpContext>,
  mode: 'run' | 'resume' | 'skip',
  plan?: SyncUpPlan,
): Promise<SyncUpResult> {
  // the interpreter clears the pause before the skip handler runs: keep its reason for the skip record
  if (mode === 'skip') state.context.skipping = state.paused?.reason;
  try {
    const outcome = await execute(repo.info.commonDir, state, upHandlers(repo, prepared), mode);
    if (outcome.status === 'paused') return { status: 'paused', plan, outcome };
  } catch (error) {
    if (error instanceof RefusedByGuard) {
      await abortUp(repo, state.context);
      clearRunState(repo.info.commonDir);
      return { status: 'refused', plan, report: error.report };
    }
    throw error;
  }
  const context = state.context;
  const skipped = (context.dropped ?? []).filter((entry) => entry.why === 'skipped');
  const left = new Set(skipped.map((entry) => entry.oid));
  updateSkipped(repo.info.commonDir, {
    replayed: context.replayed.filter((oid) => !left.has(oid)),
    skipped: skipped.map((entry) => ({ oid: entry.oid, reason: entry.reason ?? 'left out with mirror skip', date: entry.at ?? new Date().toISOString() })),
  });
  return {
    status: 'done',
    plan,
    branch: context.branch,
    remote: context.pushRemote,
    tip: context.tip!,
    pullRequestUrl: context.pullRequestUrl,
  };
}
