import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGit, gitText } from '../../adapters/git/process.js';

/**
 * git in sync's temporary worktree: hooks off (a commit-msg hook could add
 * trailers to a public message), no editor, literal pathspecs.
 */
export function wtGit(worktree: string, args: string[], options: { input?: string; okCodes?: number[]; env?: NodeJS.ProcessEnv } = {}) {
  return runGit(['-c', 'core.hooksPath=/dev/null', '--literal-pathspecs', ...args], {
    cwd: worktree,
    input: options.input,
    okCodes: options.okCodes,
    env: { GIT_EDITOR: 'true', ...options.env },
  });
}

export async function headOf(worktree: string): Promise<string> {
  return gitText(['rev-parse', 'HEAD'], { cwd: worktree });
}

export async function unmergedPaths(worktree: string): Promise<string[]> {
  const out = await wtGit(worktree, ['diff', '--name-only', '--diff-filter=U', '-z']);
  return out.stdout.toString('utf8').split('\0').filter(Boolean);
}

/** Paths whose index entry differs from HEAD, unmerged ones included. */
export async function changedPaths(worktree: string): Promise<string[]> {
  const out = await wtGit(worktree, ['diff', '--cached', '--no-renames', '--name-only', '-z']);
  return [...new Set(out.stdout.toString('utf8').split('\0').filter(Boolean))];
}

/** The paths a (non-merge) commit changes, renames counted as a deletion and an addition. */
export async function pathsOf(worktree: string, commit: string): Promise<string[]> {
  const out = await wtGit(worktree, ['diff-tree', '--root', '--no-commit-id', '-r', '--no-renames', '--name-only', '-z', commit]);
  return out.stdout.toString('utf8').split('\0').filter(Boolean);
}

/** The index matches HEAD: what was picked changes nothing. */
export async function nothingStaged(worktree: string): Promise<boolean> {
  return (await wtGit(worktree, ['diff', '--cached', '--quiet'], { okCodes: [1] })).code === 0;
}

/** A cherry-pick (single or sequence) is in progress in this worktree. */
export async function pickInProgress(worktree: string): Promise<boolean> {
  const gitDir = await gitText(['rev-parse', '--absolute-git-dir'], { cwd: worktree });
  return existsSync(join(gitDir, 'CHERRY_PICK_HEAD')) || existsSync(join(gitDir, 'sequencer'));
}

/**
 * Puts the given paths back to HEAD's state in index and files, deleting what
 * HEAD lacks. `reset` comes first because it also settles conflicted (unmerged)
 * entries, which `restore` refuses to touch.
 */
export async function restoreToHead(worktree: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  const pathspec = { input: `${paths.join('\0')}\0` };
  await wtGit(worktree, ['reset', '-q', '--pathspec-from-file=-', '--pathspec-file-nul'], pathspec);
  const indexed = new Set((await wtGit(worktree, ['ls-files', '-z'])).stdout.toString('utf8').split('\0'));
  const tracked = paths.filter((path) => indexed.has(path));
  if (tracked.length) await wtGit(worktree, ['checkout', '-q', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: `${tracked.join('\0')}\0` });
  for (const path of paths) if (!indexed.has(path)) rmSync(join(worktree, path), { force: true });
}
