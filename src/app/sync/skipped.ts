import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, MirrorError } from '../../errors.js';

/** A commit the user left out of sync-up: later runs leave it out too, until `--retry-skipped`. */
export interface SkipRecord {
  oid: string;
  /** why the run stopped on it (the pause's reason), or how it was left out */
  reason: string;
  /** ISO date of the skip */
  date: string;
}

const VERSION = 1;

export function skippedFile(commonDir: string): string {
  return join(commonDir, 'mirror', 'skipped.json');
}

export function loadSkipped(commonDir: string): SkipRecord[] {
  const file = skippedFile(commonDir);
  if (!existsSync(file)) return [];
  let data: { version?: number; skipped?: SkipRecord[] };
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // a damaged record must not make sync-up propose what the user left out
    throw new MirrorError('skipped-unreadable', `${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`, {
      exitCode: ExitCode.usage,
      suggestions: ['fix or delete the file (deleting it makes sync-up propose every skipped commit again)'],
    });
  }
  if (data.version !== VERSION || !Array.isArray(data.skipped)) {
    throw new MirrorError('skipped-version', `${file} was written by another version of mirror`, { exitCode: ExitCode.usage, suggestions: ['delete the file to start the list of skipped commits afresh'] });
  }
  return data.skipped;
}

/** Written whole, through a temporary file: a crash leaves the old list or the new one. */
export function saveSkipped(commonDir: string, records: readonly SkipRecord[]): void {
  const file = skippedFile(commonDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: VERSION, skipped: records }, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * After a finished run: the commits it replayed are no longer skipped (a
 * `--retry-skipped` run got them through), the ones skipped in it are added.
 */
export function updateSkipped(commonDir: string, change: { replayed: readonly string[]; skipped: readonly SkipRecord[] }): void {
  const before = loadSkipped(commonDir);
  const gone = new Set([...change.replayed, ...change.skipped.map((record) => record.oid)]);
  const after = [...before.filter((record) => !gone.has(record.oid)), ...change.skipped];
  if (after.length !== before.length || change.skipped.length > 0) saveSkipped(commonDir, after);
}
