import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { packageRoot } from '../../src/paths.js';

const created: string[] = [];
afterAll(() => {
  if (!process.env.MIRROR_KEEP_TEMP) for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'mirror-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * Git with a private HOME and no system config, fixed identities and dates, so
 * every repository a test builds is the same on every machine.
 */
export function testEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.invalid',
    GIT_COMMITTER_NAME: 'Test Committer',
    GIT_COMMITTER_EMAIL: 'committer@example.invalid',
    GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    ...extra,
  };
  return env;
}

export class Sandbox {
  readonly root: string;
  readonly home: string;
  env: NodeJS.ProcessEnv;

  constructor() {
    this.root = tempDir();
    this.home = join(this.root, 'home');
    mkdirSync(this.home, { recursive: true });
    this.env = testEnv(this.home);
    writeFileSync(
      join(this.home, '.gitconfig'),
      '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n',
    );
  }

  git(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
    return execFileSync('git', args, {
      cwd,
      env: { ...this.env, ...options.env },
      input: options.input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trimEnd();
  }

  /** A bare repository, as a forge would hold it. */
  bare(name: string): string {
    const dir = join(this.root, `${name}.git`);
    this.git(this.root, ['init', '-q', '--bare', dir]);
    return dir;
  }

  repo(name = 'work'): Repo {
    const dir = join(this.root, name);
    this.git(this.root, ['init', '-q', dir]);
    return new Repo(this, dir);
  }

  /** Runs the built CLI as a user would: a real process, real exit code. */
  mirror(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
    const result = spawnSync(process.execPath, [join(packageRoot, 'bin', 'run.js'), ...args], {
      cwd,
      env: { ...this.env, ...options.env },
      input: options.input ?? '',
      encoding: 'utf8',
    });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  /**
   * The CLI without blocking this process: needed when the test itself serves
   * something the CLI calls (the fake forge lives in the test process).
   */
  mirrorAsync(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(packageRoot, 'bin', 'run.js'), ...args], { cwd, env: { ...this.env, ...options.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let clock = 0;

export class Repo {
  constructor(
    readonly sandbox: Sandbox,
    readonly dir: string,
  ) {}

  git(...args: string[]): string {
    return this.sandbox.git(this.dir, args);
  }

  /** git that may fail: returns the exit code and both streams (for `git push` through the hook). */
  tryGit(...args: string[]): Run {
    const result = spawnSync('git', args, { cwd: this.dir, env: this.sandbox.env, encoding: 'utf8' });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  write(path: string, content: string | Buffer): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return this;
  }

  link(path: string, target: string): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(target, file);
    return this;
  }

  executable(path: string): this {
    chmodSync(join(this.dir, path), 0o755);
    return this;
  }

  /** `git mv`, creating the target's folder first as a user would. */
  move(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    this.git('mv', '--', from, to);
    return this;
  }

  remove(path: string): this {
    this.git('rm', '-q', '-r', '--', path);
    return this;
  }

  /** Stages everything and commits; returns the new commit id. Dates advance so order is stable. */
  commit(message: string): string {
    this.git('add', '-A');
    clock++;
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString();
    // commits made by the test itself must not run the hooks under test
    this.sandbox.git(this.dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', message], {
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    return this.head();
  }

  head(ref = 'HEAD'): string {
    return this.git('rev-parse', ref);
  }

  mirror(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Run {
    return this.sandbox.mirror(this.dir, args, options);
  }

  mirrorAsync(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return this.sandbox.mirrorAsync(this.dir, args, options);
  }

  /** A policy for this repository (`.mirror/policy.yml`), committed or not as the test wants. */
  policy(yaml: string): this {
    return this.write('.mirror/policy.yml', yaml);
  }
}
