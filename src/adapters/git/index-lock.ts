import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, MirrorError } from '../../errors.js';

/** A lock git has not touched for this long is not being written any more. */
const QUIET_MS = 1_500;
const MAX_WAIT_MS = 10_000;
const POLL_MS = 100;

/**
 * Before restoring a checkout after a crash: git killed mid-write leaves
 * `index.lock` behind, and every later git command refuses to run. A lock that
 * appeared after `since` (the interrupted run's start) and has gone quiet is that
 * run's and is removed; one older than the run belongs to someone else and is
 * only reported. A git still finishing (orphaned when only mirror was killed) is
 * waited for.
 */
export async function settleIndexLock(gitDir: string, since: Date): Promise<'none' | 'released' | 'removed'> {
  const lock = join(gitDir, 'index.lock');
  const started = Date.now();
  let mtime = mtimeOf(lock);
  if (mtime === undefined) return 'none';
  while (mtime !== undefined && Date.now() - mtime < QUIET_MS && Date.now() - started < MAX_WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    mtime = mtimeOf(lock);
  }
  if (mtime === undefined) return 'released';
  // file times have coarse resolution on some file systems: allow a second
  if (mtime < since.getTime() - 1_000) {
    throw new MirrorError('index-locked', `${lock} is older than the interrupted run, so another git process holds it; nothing changed`, {
      exitCode: ExitCode.usage,
      suggestions: ['wait for that git command to finish; if none is running, remove the file and run the command again'],
    });
  }
  rmSync(lock, { force: true });
  return existsSync(lock) ? 'released' : 'removed';
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
