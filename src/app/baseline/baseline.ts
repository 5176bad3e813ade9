import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import {
  BASELINE_FILE,
  entryOf,
  gitleaksIgnoreLocations,
  gitleaksReportLocations,
  matchesForeign,
  normalizeEntries,
  pruneEntries,
  type BaselineEntry,
  type ForeignLocation,
} from '../../core/baseline.js';
import type { GuardReport } from '../../core/guard/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import type { GuardOptions } from '../guard/context.js';
import { scanHistory } from '../guard/range.js';
import { scanFiles } from '../scan/files.js';
import { readBaseline, writeBaseline } from './file.js';

export interface BaselineRequest extends Pick<GuardOptions, 'policyFile'> {
  cwd: string;
  /** scan the whole history (every ref) instead of the files of the work tree */
  history?: boolean;
}

export interface BaselineResult {
  file: string;
  entries: number;
  added: number;
  dropped: number;
  /** what the scan behind it covered, in words */
  scanned: string;
  /** import only: foreign findings no mirror finding sits at */
  unmatched?: number;
}

async function rootOf(cwd: string): Promise<string> {
  const repo = await Repository.open(cwd);
  const root = repo.info.root;
  if (root === undefined) throw new MirrorError('baseline-bare', 'mirror baseline needs a working tree', { exitCode: ExitCode.usage });
  return root;
}

/** Every secret finding, whatever its confidence, with the baseline left out: what a baseline can accept. */
async function currentFindings(request: BaselineRequest, root: string): Promise<{ entries: BaselineEntry[]; report: GuardReport }> {
  const options = { policyFile: request.policyFile, minConfidence: 'low' as const, noBaseline: true };
  const report = request.history ? await scanHistory({ cwd: root, ...options }) : await scanFiles({ cwd: root, paths: [], ...options });
  const entries = report.violations.flatMap((v) => (v.type === 'secret' ? [entryOf(v.location, v.finding)] : []));
  return { entries, report };
}

const described = (report: GuardReport) =>
  report.stats.files ? `${report.stats.files} files` : `${report.stats.commits} commits, ${report.stats.blobs} blobs`;

/** `mirror baseline create`: today's findings, accepted; existing entries are kept. */
export async function createBaseline(request: BaselineRequest): Promise<BaselineResult> {
  const root = await rootOf(request.cwd);
  const before = readBaseline(root)?.entries ?? [];
  const { entries, report } = await currentFindings(request, root);
  const merged = normalizeEntries([...before, ...entries]);
  const file = writeBaseline(root, merged);
  return { file, entries: merged.length, added: merged.length - normalizeEntries(before).length, dropped: 0, scanned: described(report) };
}

/** `mirror baseline prune`: drops entries whose fingerprint no longer occurs in what is scanned. */
export async function pruneBaseline(request: BaselineRequest): Promise<BaselineResult> {
  const root = await rootOf(request.cwd);
  const baseline = readBaseline(root);
  if (!baseline) throw new MirrorError('baseline-missing', `there is no ${BASELINE_FILE}`, { exitCode: ExitCode.usage, suggestions: ['create it with `mirror baseline create`'] });
  const { entries, report } = await currentFindings(request, root);
  const { kept, dropped } = pruneEntries(baseline.entries, new Set(entries.map((e) => e.fingerprint)));
  const file = writeBaseline(root, normalizeEntries(kept));
  return { file, entries: kept.length, added: 0, dropped: dropped.length, scanned: described(report) };
}

export interface ImportRequest extends BaselineRequest {
  /** a gitleaks JSON report (`gitleaks detect --report-format json`) */
  gitleaksReport?: string;
  /** a `.gitleaksignore` file */
  gitleaksIgnore?: string;
}

/**
 * `mirror baseline import`: what gitleaks found (its report) or was told to ignore
 * (`.gitleaksignore`), turned into mirror fingerprints: mirror scans, and each of its
 * findings sitting where a gitleaks finding sits (path and line, commit when known) is
 * accepted. The scan covers the history when any gitleaks entry names a commit.
 */
export async function importBaseline(request: ImportRequest): Promise<BaselineResult> {
  if (!request.gitleaksReport && !request.gitleaksIgnore) {
    throw new MirrorError('baseline-import-nothing', 'give --gitleaks-report FILE or --gitleaks-ignore FILE', { exitCode: ExitCode.usage });
  }
  const root = await rootOf(request.cwd);
  const foreign: ForeignLocation[] = [];
  const read = (file: string) => {
    try {
      return readFileSync(resolve(request.cwd, file), 'utf8');
    } catch {
      throw new MirrorError('baseline-import-unreadable', `cannot read ${file}`, { exitCode: ExitCode.usage });
    }
  };
  if (request.gitleaksReport) {
    try {
      foreign.push(...gitleaksReportLocations(JSON.parse(read(request.gitleaksReport))));
    } catch (e) {
      if (e instanceof MirrorError) throw e;
      throw new MirrorError('baseline-import-invalid', `${request.gitleaksReport} is not a gitleaks JSON report`, { exitCode: ExitCode.usage });
    }
  }
  if (request.gitleaksIgnore) foreign.push(...gitleaksIgnoreLocations(read(request.gitleaksIgnore)));
  const history = request.history ?? foreign.some((f) => f.commit !== undefined);
  const { entries, report } = await currentFindings({ ...request, history }, root);
  const matched = entries.filter((entry) => matchesForeign(entry, foreign)).map((entry) => ({ ...entry, source: 'gitleaks' as const }));
  const unmatched = foreign.filter((f) => !entries.some((entry) => matchesForeign(entry, [f]))).length;
  const before = normalizeEntries(readBaseline(root)?.entries ?? []);
  const merged = normalizeEntries([...before, ...matched]);
  const file = writeBaseline(root, merged);
  return { file, entries: merged.length, added: merged.length - before.length, dropped: 0, scanned: described(report), unmatched };
}
