import { existsSync } from 'node:fs';
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

/** The index matches HEAD: what was picked changes nothing. */
export async function nothingStaged(worktree: string): Promise<boolean> {
  return (await wtGit(worktree, ['diff', '--cached', '--quiet'], { okCodes: [1] })).code === 0;
}

/** A cherry-pick (single or sequence) is in progress in this worktree. */
export async function pickInProgress(worktree: string): Promise<boolean> {
  const gitDir = await gitText(['rev-parse', '--absolute-git-dir'], { cwd: worktree });
  return existsSync(join(gitDir, 'CHERRY_PICK_HEAD')) || existsSync(join(gitDir, 'sequencer'));
}

/** Restores the given paths in index and files to HEAD's state (deleting what HEAD lacks). */
export async function restoreToHead(worktree: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return;
  await wtGit(worktree, ['restore', '--source=HEAD', '--staged', '--worktree', '--pathspec-from-file=-', '--pathspec-file-nul'], {
    input: `${paths.join('\0')}\0`,
  });
}
