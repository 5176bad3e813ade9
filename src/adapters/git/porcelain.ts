import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** The environment porcelain commands run with: the user's own, plus a no-op editor. */
function environment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // continue/commit steps must never wait for an editor: `true` accepts the prepared message
    GIT_EDITOR: 'true',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

/**
 * simple-git for the porcelain operations of sync (fetch, status). Two opt-ins,
 * both because the environment is the user's own rather than untrusted input,
 * which is what simple-git's guards are for:
 * - `allowUnsafeEditor`: we set GIT_EDITOR ourselves, to `true`, so nothing waits
 *   for an editor;
 * - `allowEnvironment`: otherwise simple-git silently drops variables such as
 *   GIT_SSL_CAINFO or GIT_SSH_COMMAND, and fetches that need them fail.
 */
export function porcelain(cwd: string): SimpleGit {
  const env = environment();
  return simpleGit({ baseDir: cwd, unsafe: { allowUnsafeEditor: true }, allowEnvironment: Object.keys(env) }).env(env);
}

export interface WorkingState {
  clean: boolean;
  conflicted: string[];
  /** merge, rebase, cherry-pick, revert or bisect in progress */
  operation?: string;
}

export async function workingState(git: SimpleGit, gitDir: string): Promise<WorkingState> {
  const status = await git.status(['--untracked-files=no']);
  const markers: [string, string][] = [
    ['MERGE_HEAD', 'merge'],
    ['rebase-merge', 'rebase'],
    ['rebase-apply', 'rebase'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
    ['BISECT_LOG', 'bisect'],
  ];
  const operation = markers.find(([file]) => existsSync(join(gitDir, file)))?.[1];
  return { clean: status.isClean(), conflicted: status.conflicted, operation };
}
