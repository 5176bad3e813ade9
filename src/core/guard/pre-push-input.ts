import type { Target } from './types.js';

export interface RefUpdate {
  localRef: string;
  localOid: string;
  remoteRef: string;
  remoteOid: string;
}

export const isZeroOid = (oid: string): boolean => /^0+$/.test(oid);

/**
 * git's pre-push protocol: one `<local ref> <local oid> <remote ref> <remote oid>`
 * line per ref. A malformed line is an error, never skipped: skipping is how hooks
 * fail open.
 */
export function parsePrePushInput(input: string): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const [index, line] of input.split('\n').entries()) {
    if (line.trim() === '') continue;
    const parts = line.trim().split(' ');
    const [localRef, localOid, remoteRef, remoteOid] = parts;
    if (parts.length !== 4 || !isOid(localOid) || !isOid(remoteOid)) {
      throw new Error(`line ${index + 1} of the pre-push input is not "<local ref> <local oid> <remote ref> <remote oid>"`);
    }
    updates.push({ localRef: localRef!, localOid: localOid!, remoteRef: remoteRef!, remoteOid: remoteOid! });
  }
  return updates;
}

function isOid(value: string | undefined): value is string {
  return value !== undefined && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(value);
}

export function describeUpdates(updates: readonly RefUpdate[]): NonNullable<Target['refs']> {
  return updates.map((update) => ({
    local: update.localRef,
    remote: update.remoteRef,
    kind: isZeroOid(update.localOid)
      ? 'delete'
      : isZeroOid(update.remoteOid)
        ? 'new'
        : update.localOid === update.remoteOid
          ? 'unchanged'
          : 'update',
  }));
}
