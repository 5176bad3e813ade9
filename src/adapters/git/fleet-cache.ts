import { existsSync, mkdirSync } from 'node:fs';
import { redactCredentials } from '../../core/redact.js';
import { gitText, runGit } from './process.js';

/**
 * One bare repository that fetches the upstream and every mirror of a fleet, each
 * under its own ref namespace: mirrors of one upstream share almost all objects,
 * so one object store holds the whole fleet for little more than one clone.
 */

/** Concurrent fetches into one repository must not start gc or rewrite the commit-graph under each other. */
const FETCH_CONFIG = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'fetch.writeCommitGraph=false', '-c', 'protocol.version=2'];

/** mirrors per `git fetch --multiple` (see fetchMany) */
const FETCH_BATCH = 100;

export const UPSTREAM_NAMESPACE = 'refs/upstream';
export const mirrorNamespace = (name: string) => `refs/fleet/${name}`;

/** `found: false`: the repository answered but has no such branch. */
export type FetchOutcome = { ok: true; found: boolean } | { ok: false; error: string };

export interface MirrorGitFacts {
  ahead: number;
  behind: number;
  lastMerge: { commit: string; date: string } | undefined;
}

export class FleetCache {
  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<FleetCache> {
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    if (!existsSync(`${dir}/HEAD`)) await gitText(['init', '-q', '--bare', dir], { cwd: dir });
    return new FleetCache(dir);
  }

  /**
   * Fetches one branch of `url` into `<namespace>/heads/<branch>`. A failure is an
   * answer (unreachable, no such branch), not an exception: the fleet reports it.
   * A fetch that succeeds has written the ref (the refspec names the branch), so no
   * second process is spent asking for it: read `tip` when the id is wanted.
   */
  async fetchBranch(url: string, branch: string, namespace: string): Promise<FetchOutcome> {
    const ref = `${namespace}/heads/${branch}`;
    const result = await runGit(
      [...FETCH_CONFIG, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, `+refs/heads/${branch}:${ref}`],
      { cwd: this.dir, okCodes: [1, 128] },
    );
    if (result.code !== 0) {
      const said = redactCredentials(result.stderr.trim()).split('\n').filter(Boolean);
      const branchMissing = said.some((line) => /couldn't find remote ref/i.test(line));
      if (branchMissing) {
        await runGit(['update-ref', '-d', ref], { cwd: this.dir, okCodes: [1] });
        return { ok: true, found: false };
      }
      // git's first fatal line says why (no such repository, host not found, authentication); the rest is boilerplate
      const why = said.find((line) => /^(fatal|error):/.test(line)) ?? said.at(-1);
      return { ok: false, error: why?.replace(/^(fatal|error): /, '') || `git fetch failed (exit ${result.code})` };
    }
    return { ok: true, found: true };
  }

  /**
   * Fetches many branches with `git fetch --multiple` (git runs the fetches, `jobs`
   * at a time), the remotes given as `-c` settings: node starts one git per batch
   * instead of one per mirror, and each start blocks its event loop for milliseconds
   * (forking a process of node's size). The fetches git reports failed are done once
   * more one by one, so their answer (unreachable, no such branch) is `fetchBranch`'s.
   * Outcomes in the order of `items`.
   */
  async fetchMany(items: readonly { url: string; branch: string; namespace: string }[], jobs: number): Promise<FetchOutcome[]> {
    const outcomes: FetchOutcome[] = [];
    // the settings reach git's child fetches in one environment variable, whose size Linux caps at 128 KiB
    for (let start = 0; start < items.length; start += FETCH_BATCH) {
      const batch = items.slice(start, start + FETCH_BATCH);
      const names = batch.map((_, i) => `mirror-fleet-${i}`);
      const settings = batch.flatMap(({ url, branch, namespace }, i) => [
        '-c', `remote.${names[i]}.url=${url}`,
        '-c', `remote.${names[i]}.fetch=+refs/heads/${branch}:${namespace}/heads/${branch}`,
      ]);
      const result = await runGit(
        [...FETCH_CONFIG, ...settings, 'fetch', '--multiple', `--jobs=${Math.max(1, jobs)}`, '--quiet', '--no-tags', '--no-write-fetch-head', ...names],
        { cwd: this.dir, okCodes: [1, 128] },
      );
      // git says "could not fetch 'NAME' (exit code: N)" (one at a time: "could not fetch NAME") for each that failed
      const failed = new Set([...result.stderr.matchAll(/could not fetch '?(mirror-fleet-\d+)/g)].map((match) => match[1]!));
      const retry = (i: number) => result.code !== 0 && (failed.size === 0 || failed.has(names[i]!));
      // (few fail, so their second fetches all run at once)
      outcomes.push(...(await Promise.all(batch.map(async (item, i): Promise<FetchOutcome> => (retry(i) ? this.fetchBranch(item.url, item.branch, item.namespace) : { ok: true, found: true })))));
    }
    return outcomes;
  }

  async tip(ref: string): Promise<string | undefined> {
    const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: this.dir, okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /**
   * Ahead, behind and the last merge from upstream, in one git process (each spawn
   * blocks node's event loop for milliseconds, and a fleet spawns one per mirror):
   * `git log --left-right mirror...upstream` lists the commits only on the mirror
   * (`<`, its private work and merges) and only on the upstream (`>`, what it lacks).
   * The last merge is the newest merge on the mirror's first-parent line that is the
   * mirror's own (not one of the upstream's merges the mirror started from) and has a
   * parent the upstream holds: reachable from the mirror and not only on it.
   * The output grows with ahead + behind (a line per commit), not with the history.
   */
  async mirrorFacts(mirror: string, upstream: string): Promise<MirrorGitFacts> {
    const out = await gitText(['log', '--left-right', '--format=%m %H %cI %P', `${mirror}...${upstream}`, '--'], { cwd: this.dir });
    const own = new Map<string, { date: string; parents: string[] }>();
    let behind = 0;
    for (const line of out.split('\n')) {
      if (line.startsWith('>')) behind++;
      else if (line.startsWith('<')) {
        const [, commit, date, ...parents] = line.split(' ');
        own.set(commit!, { date: date!, parents });
      }
    }
    // the tip is the one commit of the mirror's own that none of its own has as a parent
    const parentsOfOwn = new Set<string>();
    for (const { parents } of own.values()) for (const parent of parents) parentsOfOwn.add(parent);
    let at = [...own.keys()].find((commit) => !parentsOfOwn.has(commit));
    let lastMerge: MirrorGitFacts['lastMerge'];
    while (at && own.has(at) && !lastMerge) {
      const { date, parents } = own.get(at)!;
      if (parents.slice(1).some((parent) => !own.has(parent))) lastMerge = { commit: at, date };
      at = parents[0];
    }
    return { ahead: own.size, behind, lastMerge };
  }
}
