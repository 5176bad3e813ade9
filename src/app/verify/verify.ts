import { Repository } from '../../adapters/git/repository.js';
import type { GuardReport } from '../../core/guard/types.js';
import { findDrift, type DriftEntry } from '../../core/verify/drift.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { checksFor, preparePolicy, type GuardOptions } from '../guard/context.js';
import { inspectScope } from '../guard/inspect.js';
import { planSyncUp } from '../sync/plan-up.js';
import { privatePathMatcher } from '../sync/private-paths.js';

export interface VerifyResult {
  report: GuardReport;
  /** the recorded point this run started after, when there was one */
  since?: Record<string, string>;
  /** recorded after a clean run */
  recorded: boolean;
  drift: DriftEntry[];
}

const VERIFIED = 'refs/mirror/verified';

/**
 * Proves the public side is clean: every upstream branch's history (since the
 * last verified tips, or all of it with --full) checked as a push to a public
 * remote would be, then the drift between the mirror's public paths and
 * upstream/main, with what explains it.
 */
export async function verifyUpstream(request: GuardOptions & { cwd: string; full: boolean; record: boolean }): Promise<VerifyResult> {
  const repo = await Repository.open(request.cwd);
  const prepared = await preparePolicy(repo, request);
  const { upstreamRemote, branch } = prepared.policy.sync;
  const tips = await repo.refsUnder(`refs/remotes/${upstreamRemote}/`);
  if (tips.length === 0) {
    throw new MirrorError('no-upstream', `no branches of ${upstreamRemote} are fetched`, {
      exitCode: ExitCode.usage,
      suggestions: [`git fetch ${upstreamRemote}`],
    });
  }
  const recorded = request.full ? [] : await repo.refsUnder(`${VERIFIED}/${upstreamRemote}/`);
  const exclude = recorded.map((tip) => tip.oid);
  const scope = { include: tips.map((tip) => tip.oid), exclude };
  const target = {
    description: `${upstreamRemote}'s history${exclude.length ? ' since the last verification' : ''} (${tips.length} branch${tips.length === 1 ? '' : 'es'})`,
    remoteClass: 'public' as const,
    remote: { name: upstreamRemote, class: 'public' as const, reason: 'verify checks the public side' },
  };
  const report = await inspectScope(repo, scope, target, checksFor(prepared, 'public'));
  const clean = report.violations.length === 0;
  if (clean && request.record) {
    for (const tip of tips) await repo.git(['update-ref', `${VERIFIED}/${upstreamRemote}/${tip.name}`, tip.oid]);
  }
  return {
    report,
    since: recorded.length ? Object.fromEntries(recorded.map((tip) => [tip.name, tip.oid])) : undefined,
    recorded: clean && request.record,
    drift: await drift(repo, prepared, `refs/remotes/${upstreamRemote}/${branch}`, `refs/heads/${branch}`),
  };
}

async function drift(repo: Repository, prepared: Awaited<ReturnType<typeof preparePolicy>>, upstreamRef: string, mirrorRef: string): Promise<DriftEntry[]> {
  const upstream = await repo.commitOf(upstreamRef);
  const mirror = await repo.commitOf(mirrorRef);
  if (!upstream || !mirror) return [];
  const plan = await planSyncUp(repo, prepared, { split: true });
  const waitingToGoUp = new Set<string>();
  const heldBack = new Set<string>();
  const replay = new Set(plan.commits.filter((commit) => commit.replay).map((commit) => commit.oid));
  for await (const record of repo.commits({ include: [mirror], exclude: [upstream] }, { noMerges: true })) {
    for (const entry of record.entries) (replay.has(record.oid) ? waitingToGoUp : heldBack).add(entry.path);
  }
  const base = await repo.mergeBase(mirror, upstream);
  const changedUpstream = new Set(
    base ? (await repo.git(['diff', '--name-only', '-z', '--no-renames', base, upstream])).stdout.toString('utf8').split('\0').filter(Boolean) : [],
  );
  return findDrift({
    mirror: await repo.treeEntries(mirror),
    upstream: await repo.treeEntries(upstream),
    isPrivatePath: privatePathMatcher(prepared.policy),
    waitingToGoUp,
    heldBack,
    changedUpstream,
  });
}
