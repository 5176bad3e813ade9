import { ExitCode, MirrorError } from '../../errors.js';
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

/**
 * The pre-commit framework runs pre-push hooks without git's stdin: it passes
 * one ref update through PRE_COMMIT_* variables instead. Returns the
 * equivalent protocol line, and the remote name and URL.
 */
export function fromPreCommitEnvironment(env: NodeJS.ProcessEnv): { input: string; remote: string; url: string } {
  const to = env.PRE_COMMIT_TO_REF;
  const remote = env.PRE_COMMIT_REMOTE_NAME;
  const url = env.PRE_COMMIT_REMOTE_URL;
  if (!to || !remote || !url) {
    throw new MirrorError('pre-commit-environment', '--from-pre-commit needs PRE_COMMIT_TO_REF, PRE_COMMIT_REMOTE_NAME and PRE_COMMIT_REMOTE_URL (set by pre-commit in its pre-push stage)', { exitCode: ExitCode.usage });
  }
  const zero = '0'.repeat(to.length);
  const from = env.PRE_COMMIT_FROM_REF && env.PRE_COMMIT_FROM_REF !== to ? env.PRE_COMMIT_FROM_REF : zero;
  const local = env.PRE_COMMIT_LOCAL_BRANCH || 'HEAD';
  const remoteBranch = env.PRE_COMMIT_REMOTE_BRANCH || local;
  return { input: `${local} ${to} ${remoteBranch} ${from}\n`, remote, url };
}
