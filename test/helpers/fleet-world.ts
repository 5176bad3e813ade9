import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, type Repo } from './sandbox.js';

export interface FleetWorld {
  sandbox: Sandbox;
  upstream: string;
  /** bare mirrors by name; `gone` has no repository at its path */
  mirrors: Record<'globex' | 'acme' | 'hooli' | 'clash' | 'empty' | 'gone', string>;
  control: Repo;
  /** the commit ids that matter, for exact assertions */
  ids: { acmeMerge: string };
  /** `options.upstream` replaces the upstream's URL and adds its forge and API URL; `yaml` lines go at the top level, a mirror's `yaml` lines under it */
  writeFleet: (
    mirrors: { name: string; url: string; forge?: string; labels?: string[]; apiUrl?: string; yaml?: string[] }[],
    options?: { upstream?: { url?: string; forge?: string; apiUrl?: string }; yaml?: string[] },
  ) => void;
}

export const MERGE_DATE = '2026-02-03T04:05:06Z';

/**
 * An upstream (U1, U2, U3) and its mirrors in one temp folder:
 * - globex: exactly the upstream (0 ahead, 0 behind, never merged);
 * - acme: private commit P1 and a merge of U2 (2 ahead: P1 and the merge; 1 behind: U3);
 * - hooli: left at U1 (0 ahead, 2 behind);
 * - clash: U1 and a private commit C1 rewriting app.txt's second line, which U2 also writes: merging upstream conflicts in app.txt;
 * - empty: a bare repository without the branch; gone: no repository at all.
 */
export function fleetWorld(): FleetWorld {
  const sandbox = new Sandbox();
  const upstream = sandbox.bare('upstream');
  const dev = sandbox.repo('dev');
  dev.git('remote', 'add', 'origin', upstream);
  dev.write('app.txt', 'one\n');
  dev.commit('U1');
  dev.git('push', '-q', 'origin', 'main');
  const hooli = sandbox.bare('hooli');
  dev.git('push', '-q', hooli, 'main');
  const clash = sandbox.bare('clash');
  const clashWork = sandbox.repo('clash-work');
  clashWork.git('fetch', '-q', hooli, 'main');
  clashWork.git('reset', '-q', '--hard', 'FETCH_HEAD');
  clashWork.write('app.txt', 'one\nclash only\n');
  clashWork.commit('C1');
  clashWork.git('push', '-q', clash, 'HEAD:refs/heads/main');
  dev.write('app.txt', 'one\ntwo\n');
  dev.commit('U2');
  dev.git('push', '-q', 'origin', 'main');

  const acme = sandbox.bare('acme');
  const work = sandbox.repo('acme-work');
  work.git('remote', 'add', 'upstream', upstream);
  work.git('fetch', '-q', 'upstream');
  work.git('reset', '-q', '--hard', dev.head('HEAD~1'));
  work.write('private/customer.txt', 'acme only\n');
  work.commit('P1');
  sandbox.git(work.dir, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '-m', 'Merge upstream', 'upstream/main'], {
    env: { GIT_COMMITTER_DATE: MERGE_DATE, GIT_AUTHOR_DATE: MERGE_DATE },
  });
  const acmeMerge = work.head();
  work.git('push', '-q', acme, 'HEAD:refs/heads/main');

  dev.write('app.txt', 'one\ntwo\nthree\n');
  dev.commit('U3');
  dev.git('push', '-q', 'origin', 'main');
  const globex = sandbox.bare('globex');
  dev.git('push', '-q', globex, 'main');
  const empty = sandbox.bare('empty');
  const gone = join(sandbox.root, 'gone.git');

  const control = sandbox.repo('control');
  const writeFleet: FleetWorld['writeFleet'] = (mirrors, options = {}) => {
    const lines = ['version: 1', 'upstream:', `  url: ${options.upstream?.url ?? upstream}`, '  branch: main'];
    if (options.upstream?.forge) lines.push(`  forge: ${options.upstream.forge}`);
    if (options.upstream?.apiUrl) lines.push(`  apiUrl: ${options.upstream.apiUrl}`);
    lines.push(...(options.yaml ?? []), 'mirrors:');
    for (const mirror of mirrors) {
      lines.push(`  - name: ${mirror.name}`, `    url: ${mirror.url}`, `    forge: ${mirror.forge ?? 'github'}`);
      if (mirror.apiUrl) lines.push(`    apiUrl: ${mirror.apiUrl}`);
      if (mirror.labels) lines.push(`    labels: [${mirror.labels.join(', ')}]`);
      lines.push(...(mirror.yaml ?? []).map((line) => `    ${line}`));
    }
    control.write('.mirror/fleet.yml', `${lines.join('\n')}\n`);
  };
  return { sandbox, upstream, mirrors: { globex, acme, hooli, clash, empty, gone }, control, ids: { acmeMerge }, writeFleet };
}

/** Makes git fetch `http://host/owner/name.git` from a local bare repository, as a forge would serve it. */
export function serveLocally(sandbox: Sandbox, forgeUrl: string, owner: string, folder: string): void {
  appendFileSync(join(sandbox.home, '.gitconfig'), `[url "${folder}/"]\n\tinsteadOf = ${forgeUrl}/${owner}/\n`);
}
