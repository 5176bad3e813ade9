import { Repository } from '../../adapters/git/repository.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { withRunLock } from '../../program/lock.js';
import { clearRunState, loadRunState, type RunState } from '../../program/state.js';
import { preparePolicy } from '../guard/context.js';
import type { DownContext, DownStep } from './down-steps.js';
import { abortDown, runDown, type SyncDownResult } from './sync-down.js';
import { runUp, type SyncUpResult } from './sync-up.js';
import { abortUp } from './up-handlers.js';
import type { UpContext, UpStep } from './up-steps.js';

export type ResumeResult = { command: 'sync-up'; result: SyncUpResult } | { command: 'sync-down'; result: SyncDownResult };

function loaded(repo: Repository) {
  const state = loadRunState<{ op: string }, unknown>(repo.info.commonDir);
  if (!state) {
    throw new MirrorError('nothing-to-resume', 'no sync-up or sync-down run is paused here', { exitCode: ExitCode.usage });
  }
  return state;
}

/** `mirror continue` and `mirror skip`: pick the saved run up where it stopped (or crashed). */
export async function resumeRun(request: { cwd: string; mode: 'resume' | 'skip'; policyFile?: string }): Promise<ResumeResult> {
  const repo = await Repository.open(request.cwd);
  return withRunLock(repo.info.commonDir, request.mode === 'skip' ? 'skip' : 'continue', () => resumeIn(repo, request));
}

async function resumeIn(repo: Repository, request: { mode: 'resume' | 'skip'; policyFile?: string }): Promise<ResumeResult> {
  const state = loaded(repo);
  if (state.command === 'sync-up') {
    const prepared = await preparePolicy(repo, request);
    return { command: 'sync-up', result: await runUp(repo, prepared, state as RunState<UpStep, UpContext>, request.mode) };
  }
  const facts = { upstreamRef: (state.context as DownContext).upstreamRef, behind: 0, ahead: 0, warnings: [] };
  return { command: 'sync-down', result: await runDown(repo, state as RunState<DownStep, DownContext>, request.mode, facts) };
}

/** `mirror abort`: everything back as it was before the command; the saved run is dropped. */
export async function abortRun(request: { cwd: string }): Promise<{ command: string; restored: string }> {
  const repo = await Repository.open(request.cwd);
  return withRunLock(repo.info.commonDir, 'abort', () => abortIn(repo));
}

async function abortIn(repo: Repository): Promise<{ command: string; restored: string }> {
  const state = loaded(repo);
  if (state.command === 'sync-up') await abortUp(repo, state.context as UpContext, state.before?.refs);
  else await abortDown(repo, state as RunState<DownStep, DownContext>);
  clearRunState(repo.info.commonDir);
  return {
    command: state.command,
    restored: state.command === 'sync-up' ? 'the temporary worktree is removed and the branch is back where it was; your checkout was never touched' : `HEAD, index and files are back at ${(state.context as DownContext).origHead.slice(0, 10)}`,
  };
}
