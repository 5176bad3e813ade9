import { Repository, type RevisionScope } from '../../adapters/git/repository.js';
import { parseRange } from '../../core/guard/range.js';
import type { GuardReport } from '../../core/guard/types.js';
import type { RemoteClass } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { classifyTarget } from '../remote-class.js';
import { checksFor, preparePolicy, type GuardOptions, type Prepared } from './context.js';
import { inspectIndex, inspectScope } from './inspect.js';

export interface RangeRequest extends GuardOptions {
  cwd: string;
  /** `base..head`; for history scans, absent means every ref */
  range?: string;
  /** default: how the policy classes the mirror remote (`origin`) */
  remoteClass?: RemoteClass;
}

/** A range must resolve completely: a base we cannot see is a failure, never an empty scan. */
export async function resolveScope(repo: Repository, spec: string): Promise<RevisionScope> {
  let range;
  try {
    range = parseRange(spec);
  } catch (error) {
    throw new MirrorError('bad-range', (error as Error).message, { exitCode: ExitCode.usage });
  }
  const unresolvable = (rev: string) =>
    new MirrorError('unresolvable-range', `cannot resolve "${rev}" to a commit in this repository`, {
      exitCode: ExitCode.usage,
      suggestions: repo.info.shallow
        ? ['this clone is shallow: fetch the full history (git fetch --unshallow, or fetch-depth: 0 in CI)']
        : ['fetch the missing commits, or check the revision name'],
    });
  const head = await repo.commitOf(range.head);
  if (!head) throw unresolvable(range.head);
  if (range.base === undefined) return { include: [head], exclude: [] };
  const base = await repo.commitOf(range.base);
  if (!base) throw unresolvable(range.base);
  return { include: [head], exclude: [base] };
}

async function defaultClass(prepared: Prepared, repo: Repository, requested: RemoteClass | undefined, fallback: RemoteClass) {
  if (requested) return { class: requested, reason: 'chosen with --remote-class' };
  const mirror = prepared.policy.sync.mirrorRemote;
  const url = await repo.pushUrl(mirror);
  if (!url && fallback === 'private') return { class: fallback, reason: 'secrets only (no --remote-class given)' };
  return classifyTarget(prepared.policy.remotes, repo, mirror);
}

/** `mirror guard range base..head`: the check CI runs, one code path with the hook. */
export async function guardRange(request: RangeRequest & { range: string }): Promise<GuardReport> {
  const repo = await Repository.open(request.cwd);
  const prepared = await preparePolicy(repo, request);
  const scope = await resolveScope(repo, request.range);
  const classification = await defaultClass(prepared, repo, request.remoteClass, 'public');
  const target = { description: `range ${request.range}`, remoteClass: classification.class, remote: { class: classification.class, reason: classification.reason } };
  return inspectScope(repo, scope, target, checksFor(prepared, classification.class));
}

/** `mirror scan --history [RANGE]`: every commit of every ref, secrets only unless asked. */
export async function scanHistory(request: RangeRequest): Promise<GuardReport> {
  const repo = await Repository.open(request.cwd);
  const prepared = await preparePolicy(repo, request);
  const scope: RevisionScope = request.range ? await resolveScope(repo, request.range) : { include: [], exclude: [], all: true };
  const remoteClass = request.remoteClass ?? 'private';
  const target = { description: request.range ? `history ${request.range}` : 'history of all refs', remoteClass };
  return inspectScope(repo, scope, target, checksFor(prepared, remoteClass));
}

/** `mirror guard staged`: the pre-commit check of the index (not the work tree). */
export async function guardStaged(request: Omit<RangeRequest, 'range'>): Promise<GuardReport> {
  const repo = await Repository.open(request.cwd);
  const prepared = await preparePolicy(repo, request);
  const classification = await defaultClass(prepared, repo, request.remoteClass, 'private');
  const target = { description: 'the index (staged changes)', remoteClass: classification.class, remote: { class: classification.class, reason: classification.reason } };
  return inspectIndex(repo, target, checksFor(prepared, classification.class));
}
