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
}
