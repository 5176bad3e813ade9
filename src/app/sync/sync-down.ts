import { snapshotRefs } from '../../adapters/git/ref-snapshot.js';
import { Repository } from '../../adapters/git/repository.js';
import { porcelain, workingState } from '../../adapters/git/porcelain.js';
import { createZoneMatcher } from '../../core/zones.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { execute, type Outcome } from '../../program/interpreter.js';
import { withRunLock } from '../../program/lock.js';
import { RUN_STATE_VERSION, saveRunState, type RunState } from '../../program/state.js';
import { preparePolicy, type GuardOptions } from '../guard/context.js';
import { abortDown, downHandlers } from './down-handlers.js';
import { existingIn, readGitDirFiles, writablePaths } from './down-restore.js';
import { compileDownSteps, type DownContext, type DownStep } from './down-steps.js';
import { refuseIfPaused } from './sync-up.js';

export interface SyncDownRequest extends GuardOptions {
  cwd: string;
  rebase: boolean;
  push: boolean;
  ci: boolean;
  apiUrl?: string;
  forge?: 'github' | 'forgejo';
}

export interface SyncDownFacts {
  upstreamRef: string;
  /** upstream commits main did not have */
  behind: number;
  /** main's commits upstream does not have */
  ahead: number;
  /** upstream changed paths inside the mirror's private zones */
  warnings: string[];
}

export type SyncDownResult =
  | ({ status: 'up-to-date' } & SyncDownFacts)
  | ({ status: 'paused'; outcome: Extract<Outcome, { status: 'paused' }>; conflicts: string[] } & SyncDownFacts)
  | ({ status: 'done'; pushedTo?: string; pullRequestUrl?: string } & SyncDownFacts);

export async function syncDown(request: SyncDownRequest): Promise<SyncDownResult> {
  const repo = await Repository.open(request.cwd);
  return withRunLock(repo.info.commonDir, 'sync-down', () => syncDownIn(repo, request));
}

async function syncDownIn(repo: Repository, request: SyncDownRequest): Promise<SyncDownResult> {
  refuseIfPaused(repo);
  const prepared = await preparePolicy(repo, request);
  const { upstreamRemote, mirrorRemote, branch } = prepared.policy.sync;

  const git = porcelain(repo.cwd);
  const working = await workingState(git, repo.info.gitDir);
  if (working.operation) {
    throw new MirrorError('operation-in-progress', `a ${working.operation} is in progress; sync-down changed nothing`, {
      exitCode: ExitCode.usage,
      suggestions: [`finish or abort the ${working.operation} first`],
    });
  }
  if (!working.clean) {
    throw new MirrorError('dirty-tree', 'the working tree has uncommitted changes; sync-down changed nothing', {
      exitCode: ExitCode.usage,
      suggestions: ['commit or stash them, then run mirror sync-down again'],
    });
  }
  const current = await repo.currentBranch();
  if (current !== branch) {
    throw new MirrorError('wrong-branch', `sync-down merges into ${branch}, but ${current || 'a detached HEAD'} is checked out; nothing changed`, {
      exitCode: ExitCode.usage,
      suggestions: [`git switch ${branch}`],
    });
  }

  // taken before the fetch: abort puts the tracking refs back too
  const before = { refs: await snapshotRefs(repo, [`refs/remotes/${upstreamRemote}`, `refs/remotes/${mirrorRemote}`]), gitDirFiles: readGitDirFiles(repo.info.gitDir) };
  await repo.fetch(upstreamRemote);
  const upstreamRef = `${upstreamRemote}/${branch}`;
  const upstream = await repo.commitOf(`refs/remotes/${upstreamRef}`);
  if (!upstream) throw new MirrorError('no-upstream', `${upstreamRemote} has no ${branch}`, { exitCode: ExitCode.usage });
  const { ahead, behind } = await repo.aheadBehind('HEAD', upstream);
  const facts: SyncDownFacts = { upstreamRef, behind, ahead, warnings: await privateWrites(repo, prepared.policy.zones, upstream) };
  if (behind === 0) return { status: 'up-to-date', ...facts };

  const origHead = (await repo.commitOf('HEAD'))!;
  const writable = await writablePaths(repo, origHead, upstream);
  const state: RunState<DownStep, DownContext> = {
    version: RUN_STATE_VERSION,
    command: 'sync-down',
    startedAt: new Date().toISOString(),
    steps: compileDownSteps(request),
    cursor: 0,
    before,
    context: {
      origHead,
      branch,
      upstreamRef,
      upstreamOid: upstream,
      mirrorRemote,
      apiUrl: request.apiUrl,
      forge: request.forge,
      writable,
      existedBefore: repo.info.root ? existingIn(repo.info.root, writable) : [],
    },
  };
  saveRunState(repo.info.commonDir, state);
  return runDown(repo, state, 'run', facts);
}

export async function runDown(repo: Repository, state: RunState<DownStep, DownContext>, mode: 'run' | 'resume' | 'skip', facts: SyncDownFacts): Promise<SyncDownResult> {
  const outcome = await execute(repo.info.commonDir, state, downHandlers(repo), mode);
  if (outcome.status === 'paused') return { status: 'paused', outcome, conflicts: await conflictedFiles(repo), ...facts };
  return { status: 'done', pushedTo: state.context.pushedTo, pullRequestUrl: state.context.pullRequestUrl, ...facts };
}

export { abortDown };

/** The files left unmerged, as data (the pause's reason names only the first few): `fleet sync-down` reports them. */
async function conflictedFiles(repo: Repository): Promise<string[]> {
  const result = await repo.git(['diff', '--name-only', '--diff-filter=U', '-z'], { okCodes: [1, 128] });
  return result.code === 0 ? result.stdout.toString('utf8').split('\0').filter(Boolean) : [];
}

/** Paths upstream changed since the mirror last merged it that fall in a private zone: upstream must not write there. */
async function privateWrites(repo: Repository, zones: Parameters<typeof createZoneMatcher>[0], upstream: string): Promise<string[]> {
  const base = await repo.mergeBase('HEAD', upstream);
  const args = base ? ['diff', '--name-only', '-z', '--no-renames', base, upstream] : ['ls-tree', '-r', '-z', '--name-only', upstream];
  const paths = (await repo.git(args)).stdout.toString('utf8').split('\0').filter(Boolean);
  const inZone = createZoneMatcher(zones);
  return paths.filter((path) => inZone(path)).map((path) => `upstream changes ${path}, inside private zone "${inZone(path)!.zone}"`);
}
