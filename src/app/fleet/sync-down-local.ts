import { join } from 'node:path';
import { prepareClone } from '../../adapters/git/fleet-clone.js';
import { reportOf, type MirrorSyncFacts } from '../../core/fleet/sync-down.js';
import type { FleetMirror } from '../../fleet/types.js';
import { syncDown } from '../sync/sync-down.js';

/** the remote name sync-down's default policy reads the upstream from */
const UPSTREAM_REMOTE = 'upstream';

/**
 * One mirror synced in its working clone under `clones/<name>`: the clone made
 * or brought to the mirror's branch, `upstream` pointed at the fleet's upstream,
 * then exactly `mirror sync-down` (merge, push to the mirror). A conflict leaves
 * the clone paused, for `mirror continue` or `mirror abort` there; until then a
 * new run reports the same conflict and touches nothing.
 */
export async function syncDownLocally(mirror: FleetMirror, upstream: { url: string }, clones: string): Promise<MirrorSyncFacts> {
  const clone = join(clones, mirror.name);
  const prepared = await prepareClone(clone, { url: mirror.url, branch: mirror.defaultBranch }, { remote: UPSTREAM_REMOTE, url: upstream.url });
  if (prepared.state === 'unreachable') return { state: 'unreachable', error: prepared.error };
  if (prepared.state === 'error') return { state: 'error', error: prepared.error };
  if (prepared.state === 'paused') return { state: 'local', clone, result: { status: 'conflict', behind: 0, conflicts: prepared.conflicts } };
  try {
    const result = await syncDown({ cwd: clone, rebase: false, push: true, ci: false });
    return { state: 'local', clone, result: reportOf(result) };
  } catch (error) {
    return { state: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}
