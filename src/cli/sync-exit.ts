import type { SyncDownResult } from '../app/sync/sync-down.js';
import type { SyncUpResult } from '../app/sync/sync-up.js';
import { ExitCode } from '../errors.js';

export function exitCodeForSyncUp(result: SyncUpResult): number {
  if (result.status === 'paused') return ExitCode.paused;
  if (result.status === 'refused') return ExitCode.violations;
  return ExitCode.ok;
}

export function exitCodeForSyncDown(result: SyncDownResult): number {
  return result.status === 'paused' ? ExitCode.paused : ExitCode.ok;
}
