import { Sandbox, type Repo, type Run } from './sandbox.js';

export interface World {
  sandbox: Sandbox;
  repo: Repo;
  /** bare, public (not listed in the policy) */
  upstream: string;
  /** bare, private (`origin`, listed under remotes.private) */
  mirror: string;
  push: (...args: string[]) => Run;
}

/**
 * The pattern under test: a working clone whose origin is the private mirror and
 * whose upstream is the public project, with mirror's pre-push hook installed.
 */
export function mirrorWorld(options: { policy?: string; hook?: boolean; env?: NodeJS.ProcessEnv } = {}): World {
  const sandbox = new Sandbox();
  if (options.env) sandbox.env = { ...sandbox.env, ...options.env };
  const upstream = sandbox.bare('upstream');
  const mirror = sandbox.bare('mirror');
  const repo = sandbox.repo();
  repo.git('remote', 'add', 'origin', mirror);
  repo.git('remote', 'add', 'upstream', upstream);
  repo.policy(options.policy ?? 'remotes:\n  private: [origin]\n');
  repo.write('README.md', '# project\n');
  repo.commit('Initial commit');
  if (options.hook !== false) {
    const installed = repo.mirror(['hook', 'install']);
    if (installed.code !== 0) throw new Error(`hook install failed: ${installed.stderr}`);
  }
  return { sandbox, repo, upstream, mirror, push: (...args) => repo.tryGit('push', ...args) };
}

/** Pushes without the hook, to give a remote some history first. */
export function seed(world: World, ...args: string[]): void {
  world.repo.git('push', '-q', '--no-verify', ...args);
}
