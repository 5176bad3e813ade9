import { Repository } from '../../adapters/git/repository.js';
import type { CommitClass } from '../../core/sync/types.js';
import { describePaused, loadRunState } from '../../program/state.js';
import { preparePolicy, type GuardOptions } from '../guard/context.js';
import { planSyncUp } from './plan-up.js';

export interface MirrorStatus {
  branch: string;
  upstreamRef: string;
  /** main's commits upstream does not have, and upstream's main does not */
  ahead?: number;
  behind?: number;
  /** vs the mirror remote's copy of main */
  unpushed?: number;
  /** commits of upstream/main..main by what sync-up would do */
  waiting?: Record<CommitClass, number>;
  /** of the commits that would be replayed, how many an earlier sync-up already proposed */
  proposed?: number;
  /** the sync.hold globs: paths sync-up never proposes */
  hold: string[];
  /** commits an earlier sync-up left out (mirror skip, --skip): not proposed until --retry-skipped */
  skipped?: { oid: string; date: string; reason: string }[];
  /** public paths of waiting commits that stay in the mirror, with why */
  held?: { path: string; reason: string }[];
  paused?: { command: string; description: string; hints: string[]; worktree?: string };
  problems: string[];
}

/** Where the mirror stands, from what is already fetched (no network). */
export async function mirrorStatus(request: GuardOptions & { cwd: string }): Promise<MirrorStatus> {
  const repo = await Repository.open(request.cwd);
  const prepared = await preparePolicy(repo, request);
  const { upstreamRemote, mirrorRemote, branch } = prepared.policy.sync;
  const hold = [...new Set(prepared.policy.sync.hold.map((entry) => entry.glob))];
  const status: MirrorStatus = { branch, upstreamRef: `${upstreamRemote}/${branch}`, hold, problems: [] };
  const state = loadRunState<{ op: string }, unknown>(repo.info.commonDir);
  if (state) {
    status.paused = { command: state.command, description: describePaused(state), hints: state.paused?.hints ?? ['mirror continue, or mirror abort'], worktree: state.paused?.worktree };
  }
  const upstream = await repo.commitOf(`refs/remotes/${upstreamRemote}/${branch}`);
  const head = await repo.commitOf(`refs/heads/${branch}`);
  if (!upstream) status.problems.push(`no ${upstreamRemote}/${branch}: add the upstream remote and fetch it`);
  if (!head) status.problems.push(`no local ${branch}`);
  if (upstream && head) {
    Object.assign(status, await repo.aheadBehind(head, upstream));
    const plan = await planSyncUp(repo, prepared, { split: true });
    status.waiting = plan.counts;
    status.held = plan.held;
    status.skipped = plan.skipped;
    status.proposed = plan.commits.filter((commit) => commit.replay && plan.proposed[commit.oid]).length;
  }
  const mirrored = await repo.commitOf(`refs/remotes/${mirrorRemote}/${branch}`);
  if (head && mirrored) status.unpushed = Number(await repo.text(['rev-list', '--count', `${mirrored}..${head}`]));
  return status;
}
