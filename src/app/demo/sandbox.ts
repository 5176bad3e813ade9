import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../paths.js';

export interface CommandOutcome {
  command: string;
  code: number;
  output: string;
}

/**
 * A throwaway world for the demo: its own HOME (so the user's git config and
 * hooks stay out of it), a public upstream and a private mirror as bare
 * repositories, and a working clone of the mirror.
 */
export class DemoSandbox {
  readonly root: string;
  readonly upstream: string;
  readonly mirror: string;
  readonly work: string;
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'mirror-demo-'));
    this.upstream = join(this.root, 'upstream.git');
    this.mirror = join(this.root, 'mirror.git');
    this.work = join(this.root, 'work');
    const home = join(this.root, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n[user]\n\tname = Demo User\n\temail = demo@example.invalid\n[commit]\n\tgpgsign = false\n');
    this.env = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', LANG: 'C.UTF-8' };
  }

  /** Runs a command in the sandbox and returns what it printed (both streams, in order of arrival per stream). */
  run(cwd: string, command: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): CommandOutcome {
    const result = spawnSync(command, args, { cwd, env: { ...this.env, ...env }, input, encoding: 'utf8' });
    const shown = command === process.execPath ? `mirror ${args.slice(1).join(' ')}` : `${command} ${args.join(' ')}`;
    return { command: shown, code: result.status ?? -1, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
  }

  git(args: string[], cwd = this.work): CommandOutcome {
    return this.run(cwd, 'git', args);
  }

  mirrorCli(args: string[], cwd = this.work, env: NodeJS.ProcessEnv = {}): CommandOutcome {
    return this.run(cwd, process.execPath, [join(packageRoot, 'bin', 'run.js'), ...args], undefined, env);
  }

  write(path: string, content: string, cwd = this.work): void {
    const file = join(cwd, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/**
 * A fake AWS access key id, made at run time from parts so no key-shaped literal
 * ever sits in this repository's history.
 */
export function fakeAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const body = [...randomBytes(16)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return ['AK', 'IA', body].join('');
}
