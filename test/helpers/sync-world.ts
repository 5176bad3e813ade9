import type { FakeForge } from './fake-forge.js';
import { mirrorWorld, seed, type World } from './world.js';

/**
 * A mirror whose upstream has a first public commit, fetched: sync-down and
 * sync-up work from here. With a fake forge, the upstream (and mirror) remotes
 * are named by forge URLs that git rewrites to the local bare repositories, as
 * `url.<local>.insteadOf` does, so the forge adapter sees a real repository slug.
 */
export function syncWorld(options: { policy?: string; forge?: FakeForge; env?: NodeJS.ProcessEnv } = {}): World {
  const world = mirrorWorld({
    policy: options.policy ?? 'remotes:\n  private: [origin]\n  public: [upstream]\nsync:\n  privateTrailers: [Customer-Ticket]\n',
    env: options.env,
  });
  world.repo.write('src/app.js', 'export const app = 1;\n').commit('Public app');
  seed(world, 'upstream', 'main');
  world.repo.git('fetch', '-q', 'upstream');
  world.repo.git('push', '-q', '--no-verify', 'origin', 'main');
  if (options.forge) {
    const forge = options.forge;
    for (const [remote, slug, local] of [['upstream', 'acme/widget', world.upstream], ['origin', 'acme/widget-mirror', world.mirror]] as const) {
      const url = forge.remoteUrl(slug);
      world.repo.git('config', `remote.${remote}.url`, url);
      world.repo.git('config', `url.${local}.insteadOf`, url);
    }
    world.sandbox.env = {
      ...world.sandbox.env,
      GITHUB_SERVER_URL: forge.url,
      GITHUB_API_URL: forge.apiUrl,
      GITHUB_TOKEN: 'fake-token-for-tests',
      MIRROR_FORGE_RETRY_DELAY_MS: '1',
    };
  }
  return world;
}

/** What must not change in the user's checkout: HEAD, the branch, the index and the files. */
export function checkoutSnapshot(world: World): string {
  const repo = world.repo;
  return [
    repo.git('rev-parse', 'HEAD', 'refs/heads/main'),
    repo.git('symbolic-ref', 'HEAD'),
    repo.git('ls-files', '-s'),
    repo.git('status', '--porcelain=v1', '--untracked-files=all'),
    repo.git('diff'),
  ].join('\n--\n');
}

/**
 * A maintainer works on the public upstream: a fresh clone commits the given
 * changes (one commit per entry) and pushes them; the mirror then fetches.
 */
export function upstreamCommits(world: World, commits: { files: Record<string, string>; message?: string }[], options: { fetch?: boolean } = {}): void {
  const maintainer = world.sandbox.repo(`maintainer-${Math.random().toString(36).slice(2)}`);
  maintainer.git('remote', 'add', 'origin', world.upstream);
  maintainer.git('fetch', '-q', 'origin');
  maintainer.git('checkout', '-q', '-b', 'main', 'origin/main');
  commits.forEach((commit, i) => {
    for (const [path, content] of Object.entries(commit.files)) maintainer.write(path, content);
    maintainer.commit(commit.message ?? `Upstream change ${i + 1}`);
  });
  maintainer.git('push', '-q', 'origin', 'main');
  if (options.fetch) world.repo.git('fetch', '-q', 'upstream');
}
