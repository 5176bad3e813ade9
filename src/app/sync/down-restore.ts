import { existsSync, lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { settleIndexLock } from '../../adapters/git/index-lock.js';
import { restoreRefs } from '../../adapters/git/ref-snapshot.js';
import type { Repository } from '../../adapters/git/repository.js';
import type { RunState } from '../../program/state.js';
import type { DownContext } from './down-steps.js';

/**
 * Putting the checkout back after sync-down, even after `kill -9` in the middle of
 * git's own merge: git then leaves `index.lock`, no MERGE_HEAD, and files of the
 * merge's target written into the work tree while the index still describes the old
 * HEAD, so `reset --hard` alone leaves them behind as untracked files. The run
 * records, before it starts, which paths it could write that HEAD does not track and
 * which of those already existed; abort deletes the others, and only them.
 */

/** Files git writes under its directory during a merge or a reset, restored as they were. */
export const MERGE_FILES = ['ORIG_HEAD', 'MERGE_MSG', 'MERGE_MODE', 'AUTO_MERGE', 'SQUASH_MSG', 'FETCH_HEAD'];

export function readGitDirFiles(gitDir: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of MERGE_FILES) {
    try {
      out[name] = readFileSync(join(gitDir, name), 'utf8');
    } catch {
      out[name] = null;
    }
  }
  return out;
}

function writeGitDirFiles(gitDir: string, files: Record<string, string | null>): void {
  for (const [name, content] of Object.entries(files)) {
    if (content === null) rmSync(join(gitDir, name), { force: true });
    else writeFileSync(join(gitDir, name), content);
  }
}

/**
 * Paths a merge or rebase from `head` to `target` may write that `head` does not
 * track, with their parent folders: every path either side changed since the merge
 * base (commits replayed by a rebase included), and whatever differs between the tips.
 */
export async function writablePaths(repo: Repository, head: string, target: string): Promise<string[]> {
  const split = (out: Buffer) => out.toString('utf8').split('\0').filter(Boolean);
  const changed = new Set([
    ...split((await repo.git(['diff', '--name-only', '-z', '--no-renames', head, target])).stdout),
    ...split((await repo.git(['log', '--format=', '--name-only', '-z', '--no-renames', `${head}...${target}`])).stdout).map((line) => line.replace(/^\n+/, '')),
  ]);
  const tracked = new Set(split((await repo.git(['ls-tree', '-r', '-z', '--name-only', '--full-tree', head])).stdout));
  const out = new Set<string>();
  for (const path of changed) {
    if (path === '' || tracked.has(path)) continue;
    out.add(path);
    for (let dir = dirname(path); dir !== '.' && dir !== '/' && !out.has(dir); dir = dirname(dir)) out.add(dir);
  }
  return [...out].sort();
}

export function existingIn(root: string, paths: readonly string[]): string[] {
  return paths.filter((path) => exists(join(root, path)));
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Deletes what the run created among the writable paths: files first, then folders left empty. */
function removeCreated(root: string, writable: readonly string[], existedBefore: readonly string[]): void {
  const keep = new Set(existedBefore);
  const created = writable.filter((path) => !keep.has(path));
  // deepest first, so a folder is looked at after what it held
  const ordered = [...created].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  for (const path of ordered) {
    const file = join(root, path);
    let stat;
    try {
      stat = lstatSync(file);
    } catch {
      continue;
    }
    if (!stat.isDirectory()) rmSync(file, { force: true });
    else if (readdirSync(file).length === 0) rmdirSync(file);
    // a folder holding something else (the user's own file) stays
  }
}

type State = RunState<unknown, DownContext>;

/**
 * The checkout back at the run's starting commit, everything the interrupted step
 * wrote removed; refs and git-directory files are left alone (a recovering
 * `continue` goes on from here).
 */
export async function discardPartial(repo: Repository, state: State): Promise<void> {
  const context = state.context;
  await settleIndexLock(repo.info.gitDir, new Date(state.begun?.at ?? state.startedAt));
  const git = (args: string[], okCodes: number[] = []) => repo.git(args, { okCodes, env: { GIT_EDITOR: 'true' } });
  if (existsSync(join(repo.info.gitDir, 'MERGE_HEAD'))) await git(['merge', '--abort'], [128]);
  if (existsSync(join(repo.info.gitDir, 'rebase-merge')) || existsSync(join(repo.info.gitDir, 'rebase-apply'))) {
    const aborted = await git(['rebase', '--abort'], [1, 128]);
    if (aborted.code !== 0) await git(['rebase', '--quit'], [1, 128]);
  }
  // the branch, not whatever a half-done rebase detached HEAD at
  await git(['symbolic-ref', 'HEAD', `refs/heads/${context.branch}`]);
  await git(['update-ref', `refs/heads/${context.branch}`, context.origHead]);
  await git(['reset', '--quiet', '--hard', context.origHead]);
  const root = repo.info.root;
  if (root && context.writable) removeCreated(root, context.writable, context.existedBefore ?? []);
}

/** Abort: index, files, refs and git-directory files exactly as before the run. */
export async function restoreDown(repo: Repository, state: State): Promise<void> {
  await discardPartial(repo, state);
  if (state.before) {
    await restoreRefs(repo, state.before.refs);
    if (state.before.gitDirFiles) writeGitDirFiles(repo.info.gitDir, state.before.gitDirFiles);
  }
}
