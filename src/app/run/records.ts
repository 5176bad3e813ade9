import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchRecord, RunRecord } from '../../core/run/types.js';
import { ExitCode, MirrorError } from '../../errors.js';

/**
 * `.git/mirror/runs/`: one JSON file per dispatched run (its inputs: the runs API
 * never returns them) and one per batch, plus `latest-batch`. Inside .git, so
 * never committed nor pushed.
 */
export function runsDir(commonDir: string): string {
  return join(commonDir, 'mirror', 'runs');
}

function writeJson(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file);
}

export function saveRun(commonDir: string, record: RunRecord): void {
  mkdirSync(runsDir(commonDir), { recursive: true });
  writeJson(join(runsDir(commonDir), `${record.id}.json`), record);
}

export function loadRun(commonDir: string, id: number): RunRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(runsDir(commonDir), `${id}.json`), 'utf8')) as RunRecord;
    return record.version === 1 ? record : undefined;
  } catch {
    return undefined;
  }
}

export function allRuns(commonDir: string): RunRecord[] {
  let names: string[];
  try {
    names = readdirSync(runsDir(commonDir));
  } catch {
    return [];
  }
  return names
    .filter((name) => /^\d+\.json$/.test(name))
    .map((name) => loadRun(commonDir, Number(name.slice(0, -5))))
    .filter((record): record is RunRecord => record !== undefined);
}

export function saveBatch(commonDir: string, batch: BatchRecord): void {
  const dir = join(runsDir(commonDir), 'batches');
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, `${batch.id}.json`), batch);
  writeFileSync(join(runsDir(commonDir), 'latest-batch'), `${batch.id}\n`);
}

/** The batch `--all` acts on: the given one, else the latest. */
export function loadBatch(commonDir: string, id?: string): BatchRecord {
  let batchId = id;
  try {
    batchId ??= readFileSync(join(runsDir(commonDir), 'latest-batch'), 'utf8').trim();
    return JSON.parse(readFileSync(join(runsDir(commonDir), 'batches', `${batchId}.json`), 'utf8')) as BatchRecord;
  } catch {
    throw new MirrorError('run-no-batch', batchId ? `no recorded batch ${batchId}` : 'no batch has been dispatched from this repository', {
      exitCode: ExitCode.usage,
      suggestions: ['dispatch one with `mirror run dispatch WORKFLOW --matrix FILE`'],
    });
  }
}
