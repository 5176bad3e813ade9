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
/** the heads of the upstream's open pull requests, fetched from the forge's `refs/pull/N/head` */
export const proposalRef = (number: number) => `refs/proposals/pull/${number}`;

/** Same diff options for every patch id, so two runs (and two mirrors) hash alike. */
const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--full-index'];

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

  /**
   * Fetches the heads of pull requests `numbers` from the forge's `refs/pull/N/head`
   * (GitHub, Forgejo and Gitea keep one per pull request, a fork's too). One fetch
   * for all; if one is missing the fetch fails as a whole, so then each alone.
   * Returns the numbers whose head could not be fetched, with git's reason.
   */
  async fetchPullHeads(url: string, numbers: readonly number[]): Promise<Map<number, string>> {
    const missing = new Map<number, string>();
    if (numbers.length === 0) return missing;
    const fetch = (list: readonly number[]) =>
      runGit([...FETCH_CONFIG, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, ...list.map((n) => `+refs/pull/${n}/head:${proposalRef(n)}`)], {
        cwd: this.dir,
        okCodes: [1, 128],
      });
    const all = await fetch(numbers);
    if (all.code === 0) return missing;
    for (const number of numbers) {
      const one = await fetch([number]);
      if (one.code !== 0) {
        const said = redactCredentials(one.stderr.trim()).split('\n').filter(Boolean);
        missing.set(number, (said.find((line) => /^(fatal|error):/.test(line)) ?? said.at(-1) ?? `git fetch failed (exit ${one.code})`).replace(/^(fatal|error): /, ''));
      }
    }
    return missing;
  }

  /**
   * `git patch-id --stable` of each non-merge commit of `base..head`, oldest first:
   * the same change has the same id whatever its message, author or parent.
   */
  async commitPatchIds(head: string, base: string): Promise<{ oid: string; patchId: string }[]> {
    const log = await runGit(['log', '--no-merges', '--reverse', '-p', '--format=commit %H', ...DIFF_OPTIONS, `${base}..${head}`, '--'], { cwd: this.dir });
    const order = (await gitText(['rev-list', '--no-merges', '--reverse', `${base}..${head}`, '--'], { cwd: this.dir })).split('\n').filter(Boolean);
    const ids = new Map<string, string>();
    if (log.stdout.length > 0) {
      const out = await gitText(['patch-id', '--stable'], { cwd: this.dir, input: log.stdout });
      for (const line of out.split('\n').filter(Boolean)) {
        const [patchId, oid] = line.split(' ');
        ids.set(oid!, patchId!);
      }
    }
    // a commit that changes nothing has no diff and so no patch id: it is left out, as it proposes nothing
    return order.filter((oid) => ids.has(oid)).map((oid) => ({ oid, patchId: ids.get(oid)! }));
  }

  /** The patch id of the whole change from the merge base of `base` and `head` to `head`; undefined when it changes nothing. */
  async changePatchId(head: string, base: string): Promise<string | undefined> {
    const diff = await runGit(['diff', ...DIFF_OPTIONS, `${base}...${head}`, '--'], { cwd: this.dir });
    if (diff.stdout.length === 0) return undefined;
    const out = await gitText(['patch-id', '--stable'], { cwd: this.dir, input: diff.stdout });
    return out.split(' ')[0] || undefined;
  }

  /**
   * Text files of a fetched branch, read from the cache's objects in one
   * `git cat-file --batch` (no checkout, no forge request): undefined for a path
   * the branch does not have (or that is not a file).
   */
  async readFiles(ref: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
    const files = new Map<string, string | undefined>();
    if (paths.length === 0) return files;
    const out = (await runGit(['cat-file', '--batch'], { cwd: this.dir, input: paths.map((path) => `${ref}:${path}\n`).join('') })).stdout;
    let at = 0;
    for (const path of paths) {
      const end = out.indexOf(0x0a, at);
      const header = out.subarray(at, end).toString('utf8');
      at = end + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        files.set(path, undefined);
        continue;
      }
      const size = Number(match[2]);
      files.set(path, match[1] === 'blob' ? out.subarray(at, at + size).toString('utf8') : undefined);
      at += size + 1;
    }
    return files;
  }

  /** The file names directly under `dir` on a fetched branch (none when it has no such folder). */
  async listFiles(ref: string, dir: string): Promise<string[]> {
    const result = await runGit(['ls-tree', '--name-only', '-z', `${ref}:${dir}`], { cwd: this.dir, okCodes: [128] });
    if (result.code !== 0) return [];
    return result.stdout.toString('utf8').split('\0').filter(Boolean).map((name) => `${dir}/${name}`);
  }

  /**
   * The files a merge of `upstream` into `mirror` would leave in conflict, found
   * without a worktree (`git merge-tree --write-tree`, git 2.38+): what the
   * mirror's next sync-down will stop on. Empty when it merges cleanly.
   */
  async mergeConflicts(mirror: string, upstream: string): Promise<string[]> {
    const result = await runGit(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', mirror, upstream], { cwd: this.dir, okCodes: [1] });
    if (result.code === 0) return [];
    // the merged tree's id, then each conflicted path once
    return [...new Set(result.stdout.toString('utf8').split('\0').slice(1).filter(Boolean))].sort();
  }
}
