import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode, MirrorError } from '../errors.js';

/**
 * One sync at a time per repository: two runs would race on the run state, the
 * temporary worktree, the branch they build and the checkout. The lock is a file
 * created with O_EXCL (atomic on every local file system) holding who took it; a
 * run killed with -9 leaves it behind, and the next run recovers it once the pid
 * it names is gone.
 */
export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
  host: string;
  /** the kernel's start time of that pid (Linux), so a reused pid is not taken for the holder */
  processStart?: string;
}

export interface RunLock {
  readonly file: string;
  release(): void;
}

export function runLockFile(commonDir: string): string {
  return join(commonDir, 'mirror', 'run.lock');
}

/** How long a second run waits for the first before giving up (exit 2). */
export const DEFAULT_LOCK_WAIT_MS = 3_000;
const POLL_MS = 100;
/** a lock file without a holder (a crash between creating and writing it) older than this is stale */
const EMPTY_GRACE_MS = 2_000;

export async function acquireRunLock(
  commonDir: string,
  command: string,
  options: { waitMs?: number; notify?: (message: string) => void } = {},
): Promise<RunLock> {
  const file = runLockFile(commonDir);
  mkdirSync(dirname(file), { recursive: true });
  const waitMs = options.waitMs ?? envWait() ?? DEFAULT_LOCK_WAIT_MS;
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString(), host: hostname(), processStart: processStart(process.pid) };
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(file, me)) return { file, release: () => release(file, me) };
    const holder = readHolder(file);
    if (holder === undefined) {
      // being written this instant, or left empty by a crash between create and write: give the writer a moment
      if (ageMs(file) > EMPTY_GRACE_MS) {
        recover(file, undefined, options.notify);
        continue;
      }
    } else if (!alive(holder)) {
      recover(file, holder, options.notify);
      continue;
    }
    if (Date.now() >= deadline) throw held(file, holder);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function envWait(): number | undefined {
  const raw = process.env.MIRROR_LOCK_WAIT_MS;
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function tryCreate(file: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether the holder still runs. On another host we cannot tell, so it counts as alive. */
function alive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the pid exists (another user's); whether it is the holder, its start time tells
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
}

/**
 * Takes a stale lock over without a window in which two recoverers both win: the
 * stale file is renamed away (only one rename of it succeeds), then creation is
 * retried as usual.
 */
function recover(file: string, holder: LockHolder | undefined, notify: ((message: string) => void) | undefined): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else recovered it first
  }
  const check = readHolder(aside);
  if (holder && check && (check.pid !== holder.pid || check.startedAt !== holder.startedAt)) {
    // a live run took the lock between our read and the rename: put it back (link: never over a newer lock)
    try {
      linkSync(aside, file);
    } finally {
      rmSync(aside, { force: true });
    }
    return;
  }
  rmSync(aside, { force: true });
  notify?.(
    holder
      ? `recovered a stale run lock: ${holder.command} (pid ${holder.pid}, started ${holder.startedAt}) is no longer running`
      : 'recovered an empty run lock left by an interrupted run',
  );
}

function release(file: string, me: LockHolder): void {
  const holder = readHolder(file);
  if (holder && holder.pid === me.pid && holder.startedAt === me.startedAt) rmSync(file, { force: true });
}

function held(file: string, holder: LockHolder | undefined): MirrorError {
  const who = holder ? `mirror ${holder.command} (pid ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}, started ${holder.startedAt})` : 'another mirror run';
  return new MirrorError('run-locked', `${who} is running in this repository; nothing changed`, {
    exitCode: ExitCode.usage,
    suggestions: [`wait for it to finish, then run the command again (the lock is ${file})`],
  });
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Runs `fn` holding the repository's run lock; a recovered stale lock is reported on stderr. */
export async function withRunLock<T>(commonDir: string, command: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireRunLock(commonDir, command, { notify: (message) => process.stderr.write(`mirror: ${message}\n`) });
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
