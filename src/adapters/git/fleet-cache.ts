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

export const UPSTREAM_NAMESPACE = 'refs/upstream';
export const mirrorNamespace = (name: string) => `refs/fleet/${name}`;
/** the heads of the upstream's open pull requests, fetched from the forge's `refs/pull/N/head` */
export const proposalRef = (number: number) => `refs/proposals/pull/${number}`;

/** Same diff options for every patch id, so two runs (and two mirrors) hash alike. */
const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--full-index'];

export type FetchOutcome = { ok: true; tip: string | undefined } | { ok: false; error: string };

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
        return { ok: true, tip: undefined };
      }
      // git's first fatal line says why (no such repository, host not found, authentication); the rest is boilerplate
      const why = said.find((line) => /^(fatal|error):/.test(line)) ?? said.at(-1);
      return { ok: false, error: why?.replace(/^(fatal|error): /, '') || `git fetch failed (exit ${result.code})` };
    }
    return { ok: true, tip: await this.tip(ref) };
  }

  async tip(ref: string): Promise<string | undefined> {
    const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: this.dir, okCodes: [1, 128] });
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** Commits only on `mirror` (its private work), and only on `upstream` (what it lacks). */
  async aheadBehind(mirror: string, upstream: string): Promise<{ ahead: number; behind: number }> {
    const [ahead, behind] = (await gitText(['rev-list', '--left-right', '--count', `${mirror}...${upstream}`], { cwd: this.dir })).split(/\s+/).map(Number);
    return { ahead: ahead!, behind: behind! };
  }

  /**
   * The newest merge on the mirror's first-parent line that brought upstream
   * history in (a parent other than the first is upstream's), with its committer date.
   */
  async lastUpstreamMerge(mirror: string, upstream: string, scan = 50): Promise<{ commit: string; date: string } | undefined> {
    const out = await gitText(['log', '--first-parent', '--merges', `--max-count=${scan}`, '--format=%H %cI %P', mirror, '--'], { cwd: this.dir });
    for (const line of out.split('\n').filter(Boolean)) {
      const [commit, date, , ...others] = line.split(' ');
      for (const parent of others) {
        const answer = await runGit(['merge-base', '--is-ancestor', parent, upstream], { cwd: this.dir, okCodes: [1] });
        if (answer.code === 0) return { commit: commit!, date: date! };
      }
    }
    return undefined;
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
