import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import type { Repo, Run } from '../helpers/sandbox.js';

export interface Running {
  child: ChildProcess;
  done: Promise<Run>;
  /** kill -9 of the whole process group: mirror and the git (and filters) it started */
  killGroup(): void;
}

/** The built CLI in a process group of its own, so a test can kill it and every child at once. */
export function spawnMirror(repo: Repo, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'run.js'), ...args], {
    cwd: repo.dir,
    env: { ...repo.sandbox.env, ...env },
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdin!.end();
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr }));
  });
  return {
    child,
    done,
    killGroup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Polls until `file` exists (or fails after `ms`). */
export async function waitForFile(file: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
