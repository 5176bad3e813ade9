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
