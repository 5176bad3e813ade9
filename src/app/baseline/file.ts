import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BASELINE_FILE, BASELINE_VERSION, parseBaseline, type Baseline, type BaselineEntry } from '../../core/baseline.js';
import { ExitCode, MirrorError } from '../../errors.js';

/** The baseline at `<root>/.mirror/baseline.json`; undefined when there is none. A damaged file is an error, never ignored. */
export function readBaseline(root: string): Baseline | undefined {
  const file = join(root, BASELINE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MirrorError('baseline-invalid', `${BASELINE_FILE} is not valid JSON`, { exitCode: ExitCode.usage, suggestions: ['recreate it with `mirror baseline create`'] });
  }
  const parsed = parseBaseline(raw);
  if (!parsed.ok) {
    throw new MirrorError('baseline-invalid', `${BASELINE_FILE} is invalid: ${parsed.errors.map((e) => `${e.field || '(file)'} ${e.message}`).join('; ')}`, {
      exitCode: ExitCode.usage,
      suggestions: ['recreate it with `mirror baseline create`'],
    });
  }
  return parsed.baseline;
}

export function readBaselineFingerprints(root: string): ReadonlySet<string> | undefined {
  const baseline = readBaseline(root);
  return baseline ? new Set(baseline.entries.map((e) => e.fingerprint)) : undefined;
}

export function writeBaseline(root: string, entries: BaselineEntry[]): string {
  const file = join(root, BASELINE_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: BASELINE_VERSION, entries }, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}
