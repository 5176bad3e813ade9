import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redactCredentials } from '../../core/redact.js';
import { loadRunState } from '../../program/state.js';
import { runGit } from './process.js';

/**
 * The working clones `mirror fleet sync-down --local` merges in: one per mirror,
 * kept between runs (a second run only fetches), owned by the fleet. A clone is
 * brought to the mirror's branch fast-forward only, never reset: a commit made
 * in it by hand and not pushed stops the mirror's sync instead of being lost.
 */

export type CloneOutcome =
  | { state: 'ready' }
  /** a sync-down run in this clone waits for `mirror continue` / `mirror abort` */
  | { state: 'paused'; conflicts: string[] }
  | { state: 'unreachable'; error: string }
  | { state: 'error'; error: string };

const NO_GC = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];

function firstReason(stderr: string, fallback: string): string {
  const said = redactCredentials(stderr.trim()).split('\n').filter(Boolean);
  const why = said.find((line) => /^(fatal|error):/.test(line)) ?? said.at(-1);
  return why?.replace(/^(fatal|error): /, '') || fallback;
}

export async function prepareClone(dir: string, mirror: { url: string; branch: string }, upstream: { remote: string; url: string }): Promise<CloneOutcome> {
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dirname(dir), { recursive: true });
    const cloned = await runGit([...NO_GC, 'clone', '--quiet', '--origin', 'origin', '--branch', mirror.branch, '--', mirror.url, dir], { cwd: dirname(dir), okCodes: [128] });
    if (cloned.code !== 0) {
      const why = firstReason(cloned.stderr, `git clone failed (exit ${cloned.code})`);
      return /remote branch .* not found/i.test(why) ? { state: 'error', error: `has no branch ${mirror.branch}` } : { state: 'unreachable', error: why };
    }
  } else {
    if (loadRunState(join(dir, '.git'))) return { state: 'paused', conflicts: await conflictedFiles(dir) };
    const fetched = await runGit([...NO_GC, 'fetch', '--quiet', '--no-tags', 'origin'], { cwd: dir, okCodes: [1, 128] });
    if (fetched.code !== 0) return { state: 'unreachable', error: firstReason(fetched.stderr, `git fetch failed (exit ${fetched.code})`) };
    const switched = await runGit(['checkout', '--quiet', mirror.branch], { cwd: dir, okCodes: [1, 128] });
    if (switched.code !== 0) return { state: 'error', error: `cannot check out ${mirror.branch} in ${dir}: ${firstReason(switched.stderr, 'git checkout failed')}` };
    const forward = await runGit(['merge', '--quiet', '--ff-only', `refs/remotes/origin/${mirror.branch}`], { cwd: dir, okCodes: [1, 128] });
    if (forward.code !== 0) return { state: 'error', error: `the clone ${dir} has commits the mirror's ${mirror.branch} lacks (or local changes): push or drop them` };
  }
  const set = await runGit(['remote', 'set-url', upstream.remote, upstream.url], { cwd: dir, okCodes: [2, 128] });
  if (set.code !== 0) await runGit(['remote', 'add', upstream.remote, upstream.url], { cwd: dir });
  return { state: 'ready' };
}

export async function conflictedFiles(dir: string): Promise<string[]> {
  const result = await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd: dir, okCodes: [1, 128] });
  return result.code === 0 ? result.stdout.toString('utf8').split('\0').filter(Boolean) : [];
}
