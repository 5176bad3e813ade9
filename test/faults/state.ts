import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkoutSnapshot } from '../helpers/sync-world.js';
import type { World } from '../helpers/world.js';

/** Every file under a folder with its content, sorted: `.git/mirror/` as the program left it. */
export function folderSnapshot(dir: string, skip: (path: string) => boolean = () => false): string {
  if (!existsSync(dir)) return '';
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const rel = relative(dir, path);
      if (skip(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.push(`${rel}\n${readFileSync(path, 'utf8')}`);
    }
  };
  walk(dir);
  return out.join('\n--\n');
}

/**
 * Everything a sync may touch in the user's clone: HEAD, branch, index, files
 * (untracked ones included), every ref, the worktree list, and mirror's own state.
 * The compiled-policy cache and the remembered policy are left out: both are copies of the
 * policy any command refreshes at will.
 */
export function fullSnapshot(world: World): string {
  const repo = world.repo;
  return [
    checkoutSnapshot(world),
    repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
    repo.git('worktree', 'list', '--porcelain'),
    folderSnapshot(join(repo.dir, '.git', 'mirror'), (path) => path.startsWith('policy-cache') || path === 'remembered-policy.yml'),
    // what git keeps beside the refs while merging or resetting
    ...['ORIG_HEAD', 'MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE', 'AUTO_MERGE', 'FETCH_HEAD', 'index.lock'].map((name) => {
      const file = join(repo.dir, '.git', name);
      return `${name}: ${existsSync(file) ? readFileSync(file, 'utf8') : '(absent)'}`;
    }),
  ].join('\n==\n');
}

/** What a bare remote holds: every ref and its commit. */
export function remoteRefs(bare: string, world: World): string {
  return world.repo.git('ls-remote', bare);
}
