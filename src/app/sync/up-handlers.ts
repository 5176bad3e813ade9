import { existsSync, rmSync } from 'node:fs';
import { runGit } from '../../adapters/git/process.js';
import { importStream } from '../../adapters/git/fast-import.js';
import { SYNC_NOTES_REF, writeNotes, type PublishedNote } from '../../adapters/git/notes.js';
import { restoreRefs, type RefSnapshot } from '../../adapters/git/ref-snapshot.js';
import type { Repository } from '../../adapters/git/repository.js';
import type { GuardReport } from '../../core/guard/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import type { Handlers, StepResult } from '../../program/interpreter.js';
import type { RunState } from '../../program/state.js';
import { checksFor, type Prepared } from '../guard/context.js';
import { inspectScope } from '../guard/inspect.js';
import { pullRequestText } from '../../core/sync/pull-request-text.js';
import { openPullRequest } from './pull-request.js';
import type { UpContext, UpStep } from './up-steps.js';
import { changedPaths, headOf, nothingStaged, pathsOf, pickInProgress, restoreToHead, unmergedPaths, wtGit } from './worktree-git.js';

/** The guard refused the built branch: nothing was pushed. */
export class RefusedByGuard extends MirrorError {
  constructor(readonly report: GuardReport) {
    super('sync-up-refused', 'the branch built for upstream does not pass the guard, so nothing was pushed', { exitCode: ExitCode.violations });
  }
}

type State = RunState<unknown, UpContext>;
const done: StepResult = { status: 'done' };

const conflictHints = (worktree: string) => [
  `resolve the conflicts in ${worktree} and \`git add\` the files (do not commit)`,
  'then `mirror continue`; or `mirror skip` to leave this commit out; or `mirror abort` to stop and change nothing',
];

async function describe(repo: Repository, commit: string): Promise<string> {
  return `${commit.slice(0, 10)} "${(await repo.text(['log', '-1', '--format=%s', commit])).slice(0, 72)}"`;
}

/** The commit a paused or stopped cherry-pick is on, if any. */
async function pickHead(worktree: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', 'CHERRY_PICK_HEAD'], { cwd: worktree, okCodes: [1] });
  return result.stdout.toString().trim() || undefined;
}

/** Remembers a replayed commit the branch will not carry (for the pull request and the notes). */
function dropped(context: UpContext, oid: string | undefined, why: 'skipped' | 'empty'): void {
  if (!oid) return;
  // a skip keeps why the run stopped there: later runs list it and leave the commit out
  const skip = why === 'skipped' ? { reason: context.skipping ?? 'left out with mirror skip', at: new Date().toISOString() } : {};
  context.dropped = [...(context.dropped ?? []).filter((entry) => entry.oid !== oid), { oid, why, ...skip }];
}

/** Drives a cherry-pick sequence to its end: empty picks are skipped, conflicts pause. */
async function settlePick(repo: Repository, context: UpContext, first: { code: number; stderr: string }): Promise<StepResult> {
  const { worktree } = context;
  let result = first;
  for (;;) {
    if (result.code === 0 && !(await pickInProgress(worktree))) return done;
    const conflicts = await unmergedPaths(worktree);
    if (conflicts.length > 0) {
      const current = await pickHead(worktree);
      return {
        status: 'paused',
        reason: `${current ? await describe(repo, current) : 'a commit'} no longer applies (it may depend on held-back work); conflicts in: ${conflicts.slice(0, 5).join(', ')}`,
        hints: conflictHints(worktree),
        worktree,
      };
    }
    if (await pickInProgress(worktree)) {
      // already upstream in substance: git stops on an empty pick; leave it out
      dropped(context, await pickHead(worktree), 'empty');
      result = await wtGit(worktree, ['cherry-pick', '--skip'], { okCodes: [1, 128] });
      if (result.code === 128 && (await nothingStaged(worktree))) result = await wtGit(worktree, ['cherry-pick', '--continue'], { okCodes: [1, 128] });
      continue;
    }
    if (result.code !== 0) throw new MirrorError('cherry-pick-failed', `cherry-pick failed in ${worktree}: ${result.stderr.trim().split('\n')[0]}`);
  }
}

/** Which of a pick run's commits a crashed attempt already applied, by author date, email and subject. */
async function remainingAfterCrash(repo: Repository, worktree: string, base: string, commits: string[]): Promise<string[]> {
  const fmt = '--format=%at %ae %s';
  const applied = (await wtGit(worktree, ['log', '--reverse', fmt, `${base}..HEAD`])).stdout.toString('utf8').split('\n').filter(Boolean);
  const originals = (await repo.text(['log', '--no-walk=unsorted', fmt, ...commits])).split('\n');
  let matched = 0;
  for (const line of applied) if (originals[matched] === line) matched++;
  return commits.slice(matched);
}

async function finishPartial(repo: Repository, context: UpContext, step: Extract<UpStep, { op: 'pick-partial' }>): Promise<StepResult> {
  const { worktree } = context;
  await restoreToHead(worktree, step.dropPaths);
  const conflicts = await unmergedPaths(worktree);
  if (conflicts.length > 0) {
    return { status: 'paused', reason: `${await describe(repo, step.commit)} no longer applies; conflicts in: ${conflicts.slice(0, 5).join(', ')}`, hints: conflictHints(worktree), worktree };
  }
  if (!(await nothingStaged(worktree))) {
    const [name, email, date] = (await repo.text(['log', '-1', '--format=%an%x00%ae%x00%ad', '--date=raw', step.commit])).split('\0');
    await wtGit(worktree, ['commit', '-q', '--no-verify', '--allow-empty-message', '-F', '-'], {
      input: step.message,
      env: { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date },
    });
  } else {
    dropped(context, step.commit, 'empty');
  }
  await wtGit(worktree, ['cherry-pick', '--quit'], { okCodes: [128] });
  await wtGit(worktree, ['clean', '-fdq']);
  return done;
}

/** A commit never pushed nor kept by a ref: `fix`'s tree with `blocked`'s parent, whose diff is the pair's net change. */
async function squashedCommit(repo: Repository, blocked: string, fix: string): Promise<string> {
  const parent = await repo.commitOf(`${blocked}^`);
  return repo.text(['-c', 'commit.gpgSign=false', 'commit-tree', `${fix}^{tree}`, ...(parent ? ['-p', parent] : []), '-m', 'mirror: net change of a blocked commit and its fix']);
}

async function resetWorktree(worktree: string, to: string): Promise<void> {
  await wtGit(worktree, ['cherry-pick', '--quit'], { okCodes: [128] });
  await wtGit(worktree, ['reset', '-q', '--hard', to]);
  await wtGit(worktree, ['clean', '-fdq']);
}

/**
 * Which commit of the branch is the copy of which replayed commit. The replay
 * keeps their order and leaves out only the commits it recorded as dropped, so
 * the rest pair one to one, checked by author (name, email, date to the
 * second). Should that not hold (a crash lost a record), commits pair in order
 * by author; a dropped commit is never taken for a published one.
 */
async function publishedCopies(repo: Repository, context: UpContext): Promise<Record<string, string>> {
  const split = (line: string) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as const;
  const fmt = ['--format=%H %an <%ae> %ad', '--date=raw'];
  const published = (await repo.text(['log', '--reverse', ...fmt, `${context.base}..${context.tip}`])).split('\n').filter(Boolean).map(split);
  const left = new Set((context.dropped ?? []).map((entry) => entry.oid));
  const kept = context.replayed.filter((oid) => !left.has(oid));
  const originals = kept.length ? (await repo.text(['log', '--no-walk=unsorted', '--stdin', ...fmt], { input: `${kept.join('\n')}\n` })).split('\n').filter(Boolean).map(split) : [];
  const copies: Record<string, string> = {};
  if (originals.length === published.length && originals.every(([, author], i) => published[i]![1] === author)) {
    originals.forEach(([oid], i) => (copies[oid] = published[i]![0]));
    return copies;
  }
  let next = 0;
  for (const [oid, author] of originals) {
    const match = published.findIndex(([, candidate], i) => i >= next && candidate === author);
    if (match === -1) continue;
    copies[oid] = published[match]![0];
    next = match + 1;
  }
  return copies;
}

/** Where the fast replay writes its commits before the branch is set (never pushed). */
export const REPLAY_REF = 'refs/mirror/sync-up-replay';

export function upHandlers(repo: Repository, prepared: Prepared): Handlers<UpStep, UpContext> {
  const ctx = (state: State) => state.context;
  return {
    'fast-replay': {
      async run(step, state) {
        const context = ctx(state);
        const committer = await repo.text(['var', 'GIT_COMMITTER_IDENT']);
        const authors = (await repo.text(['log', '--no-walk=unsorted', '--format=%an <%ae> %ad', '--date=raw', ...step.commits.map((commit) => commit.oid)])).split('\n');
        const commits = step.commits.map((commit, i) => ({ author: authors[i]!, committer, message: commit.message, changes: commit.changes }));
        await repo.git(['fast-import', '--quiet', '--force', '--done'], { input: importStream(REPLAY_REF, context.base, commits) });
        context.replayTip = await repo.commitOf(REPLAY_REF);
        return done;
      },
    },
    'worktree-add': {
      async run(_step, state, recovering) {
        const { worktree, base } = ctx(state);
        if (recovering || existsSync(worktree)) {
          await repo.git(['worktree', 'remove', '--force', worktree], { okCodes: [128] });
          rmSync(worktree, { recursive: true, force: true });
          await repo.git(['worktree', 'prune']);
        }
        await repo.git(['worktree', 'add', '--quiet', '--detach', worktree, ctx(state).replayTip ?? base]);
        return done;
      },
    },
    pick: {
      begin: async (_step, state) => headOf(ctx(state).worktree),
      async run(step, state, recovering) {
        const { worktree } = ctx(state);
        let commits = step.commits;
        if (recovering) {
          if (await pickInProgress(worktree)) return this.resume!(step, state);
          commits = await remainingAfterCrash(repo, worktree, state.begun!.base!, commits);
          if (commits.length === 0) return done;
        }
        return settlePick(repo, ctx(state), await wtGit(worktree, ['cherry-pick', ...commits], { okCodes: [1, 128] }));
      },
      async resume(_step, state) {
        const { worktree } = ctx(state);
        if (!(await pickInProgress(worktree))) return done;
        const unresolved = await unmergedPaths(worktree);
        if (unresolved.length) return { status: 'paused', reason: `conflicts remain in: ${unresolved.join(', ')}`, hints: conflictHints(worktree), worktree };
        return settlePick(repo, ctx(state), await wtGit(worktree, ['cherry-pick', '--continue'], { okCodes: [1, 128] }));
      },
      async skip(_step, state) {
        const { worktree } = ctx(state);
        if (!(await pickInProgress(worktree))) return done;
        dropped(ctx(state), await pickHead(worktree), 'skipped');
        return settlePick(repo, ctx(state), await wtGit(worktree, ['cherry-pick', '--skip'], { okCodes: [1, 128] }));
      },
    },
    'pick-partial': {
      begin: async (_step, state) => headOf(ctx(state).worktree),
      async run(step, state, recovering) {
        const { worktree } = ctx(state);
        if (recovering) {
          if ((await headOf(worktree)) !== state.begun!.base) return done;
          await resetWorktree(worktree, state.begun!.base!);
        }
        // --squash-fixed: one local commit holding the net change (this commit's tree on the blocked one's parent) is
        // picked instead, so the blocked content never lands in the worktree and a pause resumes like any other
        const picked = [step.squash?.length ? await squashedCommit(repo, step.squash[0]!, step.commit) : step.commit];
        if (step.dropPaths.length === 0) {
          await wtGit(worktree, ['cherry-pick', '--no-commit', ...picked], { okCodes: [1, 128] });
          return finishPartial(repo, ctx(state), step);
        }
        // No rename detection when private paths are dropped: upstream lacks the private files, so a private file of
        // the commit's parent could pair with a similar public file upstream added, and its private hunk land there.
        // `recursive`: the ort strategy of git before 2.4x ignores -X no-renames (newer git runs ort for it, heeding it).
        await wtGit(worktree, ['cherry-pick', '--no-commit', '--strategy=recursive', '-X', 'no-renames', ...picked], { okCodes: [1, 128] });
        // and whatever the merge did, nothing but the commit's own paths changes
        const own = new Set((await Promise.all(picked.map((commit) => pathsOf(worktree, commit)))).flat());
        await restoreToHead(worktree, (await changedPaths(worktree)).filter((path) => !own.has(path)));
        return finishPartial(repo, ctx(state), step);
      },
      resume: async (step, state) => finishPartial(repo, ctx(state), step),
      async skip(step, state) {
        dropped(ctx(state), step.commit, 'skipped');
        await resetWorktree(ctx(state).worktree, 'HEAD');
        return done;
      },
    },
    verify: {
      async run(_step, state) {
        const context = ctx(state);
        const tip = context.usesWorktree ? await headOf(context.worktree) : (context.replayTip ?? context.base);
        const target = {
          description: `branch ${context.branch} for ${context.pushRemote}`,
          remoteClass: 'public' as const,
          remote: { name: context.pushRemote, class: 'public' as const, reason: 'sync-up publishes toward the public upstream' },
        };
        const scope = { include: [tip], exclude: [context.base], excludeRemote: context.upstreamRemote };
        const report = await inspectScope(repo, scope, target, checksFor(prepared, 'public'));
        if (report.violations.length > 0) throw new RefusedByGuard(report);
        context.tip = tip;
        return done;
      },
    },
    'set-branch': {
      async run(_step, state) {
        const context = ctx(state);
        if (context.previousBranch === undefined) {
          // a run paused by an older mirror, which saved the branch's value here rather than up front
          const current = await repo.git(['rev-parse', '--verify', '--quiet', `refs/heads/${context.branch}`], { okCodes: [1] });
          context.previousBranch = current.code === 0 ? current.stdout.toString('utf8').trim() : '';
        }
        await repo.git(['update-ref', `refs/heads/${context.branch}`, context.tip!]);
        await repo.git(['update-ref', '-d', REPLAY_REF], { okCodes: [1] });
        return done;
      },
    },
    push: {
      async run(_step, state) {
        const { pushRemote, tip, branch } = ctx(state);
        await repo.git(['push', '--quiet', '--force', pushRemote, `${tip}:refs/heads/${branch}`]);
        return done;
      },
    },
    'pull-request': {
      async run(_step, state) {
        const context = ctx(state);
        const { plan, title = '', body = '' } = context.pullRequest;
        let text = { title, body };
        if (plan) {
          const copies = (context.copies ??= await publishedCopies(repo, context));
          const why = new Map((context.dropped ?? []).map((entry) => [entry.oid, entry.why]));
          text = pullRequestText(plan, (oid) => (copies[oid] ? 'included' : why.get(oid) === 'empty' ? 'upstream' : 'held-back'));
        }
        context.pullRequestUrl = await openPullRequest(repo, context, text);
        return done;
      },
    },
    record: {
      async run(_step, state) {
        const context = ctx(state);
        const copies = (context.copies ??= await publishedCopies(repo, context));
        const notes = new Map<string, PublishedNote>(Object.entries(copies).map(([oid, copy]) => [oid, { published: copy, branch: context.branch, tip: context.tip! }]));
        await writeNotes(repo, notes);
        context.published = notes.size;
        return done;
      },
    },
    'worktree-remove': {
      async run(_step, state) {
        await removeWorktree(repo, ctx(state).worktree);
        return done;
      },
    },
  };
}

export async function removeWorktree(repo: Repository, worktree: string): Promise<void> {
  await repo.git(['worktree', 'remove', '--force', worktree], { okCodes: [128] });
  rmSync(worktree, { recursive: true, force: true });
  await repo.git(['worktree', 'prune']);
}

/** The refs a sync-up run may move: abort puts all of them back. */
export function upRunRefs(upstreamRemote: string, pushRemote: string, branch: string): string[] {
  return [`refs/heads/${branch}`, REPLAY_REF, SYNC_NOTES_REF, `refs/remotes/${upstreamRemote}`, `refs/remotes/${pushRemote}`];
}

/**
 * Abort: the worktree goes, the branch ref returns to what it was, and with a
 * snapshot (runs started by this version) every ref the run moved; the user's
 * checkout was never touched.
 */
export async function abortUp(repo: Repository, context: UpContext, before?: RefSnapshot): Promise<void> {
  await removeWorktree(repo, context.worktree);
  await repo.git(['update-ref', '-d', REPLAY_REF], { okCodes: [1] });
  if (context.previousBranch !== undefined) {
    if (context.previousBranch === '') await repo.git(['update-ref', '-d', `refs/heads/${context.branch}`], { okCodes: [1] });
    else await repo.git(['update-ref', `refs/heads/${context.branch}`, context.previousBranch]);
  }
  if (before) await restoreRefs(repo, before);
}
