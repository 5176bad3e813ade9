import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repository, type RevisionScope } from '../../adapters/git/repository.js';
import { describeEvent, readCiContext, type CiContext, type CiEvent } from '../../core/ci/event.js';
import { emptyStats, type GuardReport } from '../../core/guard/types.js';
import type { RemoteClass } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { repositoryPolicyPath } from '../../paths.js';
import type { PolicySource } from '../../policy/types.js';
import { checksFor, classify, preparePolicy, type GuardOptions } from './context.js';
import { inspectScope } from './inspect.js';

export interface CiRequest extends GuardOptions {
  cwd: string;
  base?: string;
  head?: string;
  remoteClass?: RemoteClass;
  /** the remote whose branches count as already published (default: the mirror remote, origin) */
  remote?: string;
}

export interface CiResult {
  report: GuardReport;
  ci: CiContext;
  notes: string[];
}

const FETCH_DEPTH_FIX = 'check out with the full history: actions/checkout with `fetch-depth: 0` (GitLab: GIT_DEPTH: 0)';

function missingHistory(what: string): MirrorError {
  return new MirrorError('ci-history-missing', `${what} is not in this clone, so the range cannot be checked (it would not be safe to pass)`, {
    exitCode: ExitCode.usage,
    suggestions: [FETCH_DEPTH_FIX],
  });
}

/** A commit the check needs: deepened or fetched when the clone is shallow, else an error. */
async function ensureCommit(repo: Repository, remote: string, oid: string, what: string): Promise<string> {
  const found = await repo.commitOf(oid);
  if (found) return found;
  if (repo.info.shallow) {
    await repo.git(['fetch', '--quiet', '--unshallow', remote], { okCodes: [1, 128] });
    await repo.git(['fetch', '--quiet', remote, oid], { okCodes: [1, 128] });
    const deepened = await repo.commitOf(oid);
    if (deepened) return deepened;
  }
  throw missingHistory(`${what} ${oid.slice(0, 12)}`);
}

/** Commits whose parents a shallow clone cut off: a scan reaching them would be partial. */
function shallowBoundary(repo: Repository): Set<string> {
  const file = join(repo.info.commonDir, 'shallow');
  return existsSync(file) ? new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean)) : new Set();
}

/** Tips of the remote's other branches: what a new branch or a force push does not have to answer for. */
async function otherBranches(repo: Repository, remote: string, branch: string | undefined): Promise<string[]> {
  return (await repo.refsUnder(`refs/remotes/${remote}/`)).filter((ref) => ref.name !== branch).map((ref) => ref.oid);
}

async function scopeFor(repo: Repository, remote: string, event: CiEvent, notes: string[]): Promise<{ scope?: RevisionScope; tagObjects: string[] }> {
  switch (event.kind) {
    case 'pull-request': {
      const head = await ensureCommit(repo, remote, event.head, 'the head commit');
      const base = await ensureCommit(repo, remote, event.base, 'the base commit');
      const mergeBase = await repo.mergeBase(base, head);
      if (!mergeBase) throw missingHistory('the merge base of the base and head commits');
      return { scope: { include: [head], exclude: [mergeBase] }, tagObjects: [] };
    }
    case 'push': {
      if (event.deleted) {
        notes.push(`${event.branch} was deleted: a deletion publishes nothing`);
        return { tagObjects: [] };
      }
      const after = await ensureCommit(repo, remote, event.after, 'the pushed commit');
      if (!event.created && !event.forced) {
        const before = await ensureCommit(repo, remote, event.before, 'the previous tip');
        if (await repo.isAncestor(before, after)) return { scope: { include: [after], exclude: [before] }, tagObjects: [] };
        notes.push('the previous tip is not an ancestor of the new one: treated as a force push');
      }
      if (repo.info.shallow) await repo.git(['fetch', '--quiet', '--unshallow', remote], { okCodes: [1, 128] });
      notes.push('new branch or force push: everything not already on the remote\'s other branches is checked');
      return { scope: { include: [after], exclude: await otherBranches(repo, remote, event.branch) }, tagObjects: [] };
    }
    case 'tag': {
      if (event.deleted) {
        notes.push(`tag ${event.tag} was deleted: a deletion publishes nothing`);
        return { tagObjects: [] };
      }
      const target = (await repo.text(['rev-parse', '--verify', `${event.after}^{}`]).catch(() => '')) || event.after;
      await ensureCommit(repo, remote, target, 'the tagged commit');
      const object = (await repo.git(['cat-file', '-t', event.after], { okCodes: [128] })).stdout.toString().trim();
      notes.push('tag: everything it reaches that the remote\'s branches do not is checked');
      return { scope: { include: [target], exclude: await otherBranches(repo, remote, undefined) }, tagObjects: object === 'tag' ? [event.after] : [] };
    }
    case 'other': {
      const head = await ensureCommit(repo, remote, event.head ?? 'HEAD', 'the checked-out commit');
      if (repo.info.shallow) await repo.git(['fetch', '--quiet', '--unshallow', remote], { okCodes: [1, 128] });
      notes.push(`no range for a ${event.name || 'manual'} run: the whole history of ${head.slice(0, 10)} is checked`);
      return { scope: { include: [head], exclude: [] }, tagObjects: [] };
    }
  }
}

/**
 * For a pull request the policy comes from the base commit: the pull request
 * itself must not be able to weaken the check that judges it.
 */
async function trustedPolicy(repo: Repository, event: CiEvent | undefined): Promise<PolicySource | undefined> {
  if (event?.kind !== 'pull-request') return undefined;
  const shown = await repo.git(['show', `${event.base}:${repositoryPolicyPath}`], { okCodes: [128] });
  if (shown.code !== 0) return { file: `${event.base.slice(0, 10)}:(no ${repositoryPolicyPath}; default policy)`, text: '{}\n' };
  return { file: `${event.base.slice(0, 10)}:${repositoryPolicyPath}`, text: shown.stdout.toString('utf8') };
}

/**
 * `mirror guard ci`: works out what the CI run publishes from the event, then
 * runs the same inspection as the pre-push hook. It never passes on a range it
 * could not see.
 */
export async function guardCi(request: CiRequest, env: NodeJS.ProcessEnv = process.env): Promise<CiResult> {
  const repo = await Repository.open(request.cwd);
  const ci = readCiContext(env, (file) => readFileSync(file, 'utf8'));
  let event = ci.event;
  if (request.base || request.head) {
    event = { kind: 'pull-request', base: request.base ?? 'HEAD', head: request.head ?? 'HEAD' };
  }
  if (!event) {
    throw new MirrorError('ci-no-event', 'not running in a CI this command understands, and no --base/--head given', {
      exitCode: ExitCode.usage,
      suggestions: ['pass --base <rev> --head <rev>, or use `mirror guard range base..head`'],
    });
  }
  const repositoryPolicy = request.policyFile ? undefined : await trustedPolicy(repo, ci.event?.kind === 'pull-request' && !request.base ? event : undefined);
  const prepared = await preparePolicy(repo, { ...request, repositoryPolicy });
  const remote = request.remote ?? prepared.policy.sync.mirrorRemote;
  const classification = request.remoteClass
    ? { class: request.remoteClass, reason: 'chosen with --remote-class' }
    : classify(prepared.policy, remote, await repo.pushUrl(remote));

  const notes: string[] = [];
  const { scope, tagObjects } = await scopeFor(repo, remote, event, notes);
  const target = {
    description: `${ci.provider === 'none' ? 'range' : ci.provider} ${describeEvent(event)}`,
    remoteClass: classification.class,
    remote: { name: remote, class: classification.class, reason: classification.reason },
  };
  if (!scope) return { report: { target, stats: emptyStats(), violations: [], notices: [], policy: prepared.policyFiles }, ci, notes };

  const boundary = shallowBoundary(repo);
  if (boundary.size > 0) {
    const commits = (await repo.text(['rev-list', ...scope.include, '--not', ...scope.exclude, '--'])).split('\n');
    if (commits.some((oid) => boundary.has(oid))) throw missingHistory('history below the shallow clone\'s cut-off');
  }
  const report = await inspectScope(repo, scope, target, checksFor(prepared, classification.class), { tagObjects });
  return { report, ci, notes };
}
