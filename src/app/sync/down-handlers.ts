import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectForge, openOrUpdatePullRequest } from '../../adapters/forge/index.js';
import type { Repository } from '../../adapters/git/repository.js';
import { MirrorError } from '../../errors.js';
import type { Handlers, StepResult } from '../../program/interpreter.js';
import type { RunState } from '../../program/state.js';
import type { DownContext, DownStep } from './down-steps.js';
import { discardPartial, restoreDown } from './down-restore.js';
import { settleIndexLock } from '../../adapters/git/index-lock.js';
import { configuredUrl } from './pull-request.js';

type State = RunState<unknown, DownContext>;
const done: StepResult = { status: 'done' };

/** git in the user's checkout for sync-down: no editor, so continues run unattended. */
function git(repo: Repository, args: string[], okCodes: number[] = []) {
  return repo.git(args, { okCodes, env: { GIT_EDITOR: 'true' } });
}

const inProgress = (repo: Repository, marker: string) => existsSync(join(repo.info.gitDir, marker));

async function conflicts(repo: Repository): Promise<string[]> {
  return (await git(repo, ['diff', '--name-only', '--diff-filter=U', '-z'])).stdout.toString('utf8').split('\0').filter(Boolean);
}

function paused(what: string, files: string[]): StepResult {
  return {
    status: 'paused',
    reason: `${what} stopped on conflicts in: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''}`,
    hints: [
      'resolve the conflicts in your checkout and `git add` the files',
      'then `mirror continue`; or `mirror abort` to put HEAD, index and files back exactly as they were',
    ],
  };
}

async function settleMerge(repo: Repository, first: { code: number; stderr: string }): Promise<StepResult> {
  if (first.code === 0 && !inProgress(repo, 'MERGE_HEAD')) return done;
  const files = await conflicts(repo);
  if (files.length) return paused('merging upstream', files);
  if (inProgress(repo, 'MERGE_HEAD')) {
    await git(repo, ['commit', '--no-edit', '--no-verify']);
    return done;
  }
  throw new MirrorError('merge-failed', `git merge failed: ${first.stderr.trim().split('\n')[0]}`);
}

async function settleRebase(repo: Repository, first: { code: number; stderr: string }): Promise<StepResult> {
  let result = first;
  for (;;) {
    const active = inProgress(repo, 'rebase-merge') || inProgress(repo, 'rebase-apply');
    if (result.code === 0 && !active) return done;
    const files = await conflicts(repo);
    if (files.length) return paused('rebasing onto upstream', files);
    if (!active) throw new MirrorError('rebase-failed', `git rebase failed: ${result.stderr.trim().split('\n')[0]}`);
    result = await git(repo, ['rebase', '--continue'], [1, 128]);
  }
}

export function downHandlers(repo: Repository): Handlers<DownStep, DownContext> {
  const ctx = (state: State) => state.context;
  const message = (state: State) => `Merge ${ctx(state).upstreamRef} into ${ctx(state).branch} (mirror sync-down)`;
  // the commit fixed when the run started (older saved runs name only the ref)
  const target = (state: State) => ctx(state).upstreamOid ?? ctx(state).upstreamRef;
  return {
    merge: {
      async run(_step, state, recovering) {
        if (recovering) {
          await settleIndexLock(repo.info.gitDir, new Date(state.begun?.at ?? state.startedAt));
          if (inProgress(repo, 'MERGE_HEAD')) return this.resume!(_step, state);
          if ((await repo.commitOf('HEAD')) !== ctx(state).origHead) return done;
          // killed inside git's merge: files of the target may be written, the index not; start over clean
          await discardPartial(repo, state as State);
        }
        return settleMerge(repo, await git(repo, ['merge', '--no-edit', '--no-verify', '-m', message(state), target(state)], [1, 128]));
      },
      async resume() {
        if (!inProgress(repo, 'MERGE_HEAD')) return done;
        const files = await conflicts(repo);
        if (files.length) return paused('merging upstream', files);
        await git(repo, ['commit', '--no-edit', '--no-verify']);
        return done;
      },
    },
    rebase: {
      async run(_step, state, recovering) {
        if (recovering) {
          await settleIndexLock(repo.info.gitDir, new Date(state.begun?.at ?? state.startedAt));
          if (inProgress(repo, 'rebase-merge') || inProgress(repo, 'rebase-apply')) return this.resume!(_step, state);
          if ((await repo.currentBranch()) === ctx(state).branch && (await repo.commitOf('HEAD')) !== ctx(state).origHead) return done;
          await discardPartial(repo, state as State);
        }
        return settleRebase(repo, await git(repo, ['rebase', target(state)], [1, 128]));
      },
      async resume() {
        if (!inProgress(repo, 'rebase-merge') && !inProgress(repo, 'rebase-apply')) return done;
        return settleRebase(repo, await git(repo, ['rebase', '--continue'], [1, 128]));
      },
      async skip() {
        return settleRebase(repo, await git(repo, ['rebase', '--skip'], [1, 128]));
      },
    },
    push: {
      async run(_step, state) {
        const { mirrorRemote, branch } = ctx(state);
        await repo.git(['push', '--quiet', mirrorRemote, `HEAD:refs/heads/${branch}`]);
        ctx(state).pushedTo = `${mirrorRemote}/${branch}`;
        return done;
      },
    },
    'ci-pull-request': {
      async run(_step, state) {
        const context = ctx(state);
        const connection = await connectForge(await configuredUrl(repo, context.mirrorRemote), { apiUrl: context.apiUrl, kind: context.forge });
        const protectedBranch = await connection.forge.branchProtected(connection.repo, context.branch).catch(() => 'unknown' as const);
        if (protectedBranch !== true) {
          const pushed = await repo.git(['push', '--quiet', context.mirrorRemote, `HEAD:refs/heads/${context.branch}`], { okCodes: [1] });
          if (pushed.code === 0) {
            context.pushedTo = `${context.mirrorRemote}/${context.branch}`;
            return done;
          }
        }
        // main is protected: propose the merge instead of pushing it
        context.ciBranch ??= `mirror/sync-down-${new Date().toISOString().slice(0, 10)}-${(await repo.commitOf('HEAD'))!.slice(0, 8)}`;
        await repo.git(['push', '--quiet', '--force', context.mirrorRemote, `HEAD:refs/heads/${context.ciBranch}`]);
        context.pushedTo = `${context.mirrorRemote}/${context.ciBranch}`;
        const base = context.branch;
        const title = `Sync ${context.upstreamRef} into ${base}`;
        const body = `\`mirror sync-down --ci\` merged ${context.upstreamRef} into ${base}; ${base} is protected, so this pull request proposes the merge.\n`;
        const { pullRequest } = await openOrUpdatePullRequest(connection.forge, connection.repo, { head: context.ciBranch, base, title, body });
        context.pullRequestUrl = pullRequest.url;
        return done;
      },
    },
  };
}

/** Abort: HEAD, index, files, refs and git-directory files exactly as before the run (the tree was clean when it started). */
export async function abortDown(repo: Repository, state: RunState<unknown, DownContext>): Promise<void> {
  await restoreDown(repo, state);
}
