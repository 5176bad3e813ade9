import type { Finding } from './detect/types.js';
import type { Location } from './guard/types.js';

/**
 * A baseline: the findings a team accepted when adopting mirror on an existing
 * repository, so scans and the guard stay strict from then on without re-triaging the
 * past. Entries are keyed on the finding's fingerprint (rule and secret, never the
 * secret itself); rule and location are there for people reading the file.
 */
export const BASELINE_FILE = '.mirror/baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  /** repository path, or what the finding was in (`commit message`) */
  path: string;
  line?: number;
  commit?: string;
  /** where the entry came from: a mirror scan, or an import of gitleaks' findings */
  source?: 'mirror' | 'gitleaks';
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

export type BaselineError = { field: string; message: string };

const FINGERPRINT = /^fp1:[0-9a-f]{16}$/;

/** Validates the parsed file; errors as data. */
export function parseBaseline(raw: unknown): { ok: true; baseline: Baseline } | { ok: false; errors: BaselineError[] } {
  const errors: BaselineError[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: [{ field: '', message: 'must be a JSON object' }] };
  const { version, entries } = raw as { version?: unknown; entries?: unknown };
  if (version !== BASELINE_VERSION) errors.push({ field: 'version', message: `must be ${BASELINE_VERSION}` });
  if (!Array.isArray(entries)) errors.push({ field: 'entries', message: 'must be a list' });
  const out: BaselineEntry[] = [];
  for (const [i, entry] of (Array.isArray(entries) ? entries : []).entries()) {
    const e = entry as Partial<BaselineEntry> | null;
    if (typeof e !== 'object' || e === null) {
      errors.push({ field: `entries[${i}]`, message: 'must be an object' });
      continue;
    }
    if (typeof e.fingerprint !== 'string' || !FINGERPRINT.test(e.fingerprint)) errors.push({ field: `entries[${i}].fingerprint`, message: 'must look like fp1:<16 hex digits>' });
    if (typeof e.rule !== 'string') errors.push({ field: `entries[${i}].rule`, message: 'must be a string' });
    if (typeof e.path !== 'string') errors.push({ field: `entries[${i}].path`, message: 'must be a string' });
    out.push(e as BaselineEntry);
  }
  return errors.length ? { ok: false, errors } : { ok: true, baseline: { version: BASELINE_VERSION, entries: out } };
}

export function locationPath(location: Location): string {
  switch (location.kind) {
    case 'blob':
    case 'file':
    case 'path':
      return location.path;
    case 'commit-message':
      return 'commit message';
    case 'commit-identity':
      return 'commit identity';
    case 'tag-message':
      return 'tag message';
    case 'tagged-blob':
      return 'tagged blob';
    case 'tag-identity':
      return 'tag identity';
    case 'ref-name':
      return 'ref name';
  }
}

const commitOf = (location: Location): string | undefined =>
  location.kind === 'blob' || location.kind === 'path' || location.kind === 'commit-message' || location.kind === 'commit-identity' ? location.commit : undefined;

export function entryOf(location: Location, finding: Finding, source: BaselineEntry['source'] = 'mirror'): BaselineEntry {
  const commit = commitOf(location);
  return { fingerprint: finding.fingerprint, rule: finding.ruleId, path: locationPath(location), line: finding.line, ...(commit ? { commit } : {}), source };
}

/** One entry per fingerprint and path, sorted so the file diffs well. */
export function normalizeEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const seen = new Map<string, BaselineEntry>();
  for (const entry of entries) {
    const key = `${entry.fingerprint}\0${entry.path}`;
    if (!seen.has(key)) seen.set(key, entry);
  }
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.fingerprint < b.fingerprint ? -1 : 1)));
}

/** Keeps the entries whose fingerprint still occurs. */
export function pruneEntries(entries: readonly BaselineEntry[], occurring: ReadonlySet<string>): { kept: BaselineEntry[]; dropped: BaselineEntry[] } {
  const kept: BaselineEntry[] = [];
  const dropped: BaselineEntry[] = [];
  for (const entry of entries) (occurring.has(entry.fingerprint) ? kept : dropped).push(entry);
  return { kept, dropped };
}

/**
 * A finding's place as gitleaks names it, to match gitleaks' own findings: gitleaks'
 * rule ids and captured secrets differ from mirror's, so an import matches by where
 * (path and line, and the commit when both sides know it), and records mirror's
 * fingerprint for what it finds there.
 */
export interface ForeignLocation {
  path: string;
  line?: number;
  commit?: string;
}

/** gitleaks' JSON report: a list of findings with File, StartLine, Commit (Secret and Match are never read). */
export function gitleaksReportLocations(raw: unknown): ForeignLocation[] {
  if (!Array.isArray(raw)) throw new Error('a gitleaks JSON report is a list of findings');
  return raw.flatMap((item): ForeignLocation[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { File, StartLine, Commit } = item as { File?: unknown; StartLine?: unknown; Commit?: unknown };
    if (typeof File !== 'string') return [];
    return [{ path: File, ...(typeof StartLine === 'number' ? { line: StartLine } : {}), ...(typeof Commit === 'string' && Commit ? { commit: Commit } : {}) }];
  });
}

/**
 * `.gitleaksignore`: one gitleaks fingerprint a line, `commit:file:rule:line` or
 * `file:rule:line` (the file may itself hold colons); `#` starts a comment.
 */
export function gitleaksIgnoreLocations(text: string): ForeignLocation[] {
  const out: ForeignLocation[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const parts = line.split(':');
    if (parts.length < 3) continue;
    const lineNo = Number(parts[parts.length - 1]);
    const withCommit = parts.length >= 4 && /^[0-9a-f]{7,64}$/.test(parts[0]!);
    const path = parts.slice(withCommit ? 1 : 0, parts.length - 2).join(':');
    if (path === '' || !Number.isInteger(lineNo)) continue;
    out.push({ path, line: lineNo, ...(withCommit ? { commit: parts[0]! } : {}) });
  }
  return out;
}

/** Does a finding sit where a foreign scanner reported one (same path and line; same commit when both have one)? */
export function matchesForeign(entry: BaselineEntry, foreign: readonly ForeignLocation[]): boolean {
  return foreign.some(
    (f) =>
      f.path === entry.path &&
      (f.line === undefined || entry.line === undefined || f.line === entry.line) &&
      (f.commit === undefined || entry.commit === undefined || entry.commit.startsWith(f.commit) || f.commit.startsWith(entry.commit)),
  );
}
