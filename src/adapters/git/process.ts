import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { ExitCode, MirrorError } from '../../errors.js';
import { redactCredentials } from '../../core/redact.js';

/**
 * Settings that would change the plumbing output we parse, pinned for every call:
 * signatures in log output, colour, quoted paths, external diff drivers.
 */
const PINNED_CONFIG = [
  '-c', 'core.quotePath=false',
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=false',
  '-c', 'diff.external=',
  '-c', 'core.fsmonitor=false',
  // diffs must list every changed entry, whatever the user's or the repository's settings
  '-c', 'diff.ignoreSubmodules=none',
  '-c', 'diff.relative=false',
];

export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`) */
  okCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

function environment(extra: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // read-only queries must not take index.lock from under the user's own git commands;
  // replace refs and grafts would show us objects other than those a push sends
  return {
    ...process.env,
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_GRAFT_FILE: '/dev/null',
    LC_ALL: 'C',
    ...extra,
  };
}

export function spawnGit(args: readonly string[], options: Omit<GitOptions, 'input' | 'okCodes'>): ChildProcessWithoutNullStreams {
  return spawn('git', [...PINNED_CONFIG, ...args], {
    cwd: options.cwd,
    env: environment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The subcommand of an argument list, skipping options and `-c` values. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' || args[i] === '-C') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return 'git';
}

export function gitFailure(args: readonly string[], code: number | null, stderr: string): MirrorError {
  const command = subcommand(args);
  const detail = redactCredentials(stderr.trim()).split('\n').slice(0, 6).join('\n');
  return new MirrorError('git-failed', `git ${command} failed (exit ${code ?? 'signal'})${detail ? `:\n${detail}` : ''}`, {
    exitCode: ExitCode.usage,
  });
}

/** Runs git to completion and collects its output; a non-zero exit is an error unless listed in okCodes. */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      reject(new MirrorError('git-missing', `cannot run git: ${error.message}`, { exitCode: ExitCode.usage, cause: error })),
    );
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      const result = { stdout: Buffer.concat(out), stderr, code: code ?? -1 };
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(result);
      else reject(gitFailure(args, code, stderr));
    });
    child.stdin.on('error', () => {
      // git may exit before reading all of its input; its exit code tells what happened
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs git and returns stdout as trimmed text. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf8').trimEnd();
}

/**
 * Streams git's stdout chunk by chunk, for outputs too large to hold (whole-history
 * logs). Rejects after the stream ends if git failed.
 */
export async function* streamGit(args: readonly string[], options: Omit<GitOptions, 'input'>): AsyncGenerator<Buffer> {
  const child = spawnGit(args, options);
  child.stdin.end();
  const err: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0 && !options.okCodes?.includes(code ?? -1)) throw gitFailure(args, code, Buffer.concat(err).toString('utf8'));
}
