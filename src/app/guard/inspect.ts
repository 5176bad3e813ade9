import type { Repository, RevisionScope } from '../../adapters/git/repository.js';
import type { ObjectReader } from '../../adapters/git/object-reader.js';
import type { RawEntry } from '../../adapters/git/log-format.js';
import type { TextLike } from '../../core/detect/text.js';
import type { Finding, ScanOptions, ScanTarget } from '../../core/detect/types.js';
import { onAddedLines } from '../../core/guard/added-lines.js';
import { privatePathViolations, type ChangedEntry } from '../../core/guard/entry-paths.js';
import { emptyStats, type GuardReport, type Location, type Notice, type Target, type Violation } from '../../core/guard/types.js';
import { findIdentifiers, type Identifier } from '../../core/identifiers.js';
import { changedWindow, linesBefore, WINDOW_MIN_BYTES } from './changed-window.js';
import { Latin1Text } from './latin1-text.js';
import { decode, isBinary } from '../../core/text.js';
import { redactReport } from '../../report/redact.js';
import { resolveLinkTarget, type ZoneMatcher } from '../../core/zones.js';

export interface SecretScanner {
  scan(text: TextLike, target: ScanTarget, options?: ScanOptions): Finding[];
}

export interface Checks {
  scanner: SecretScanner;
  /** only toward public remotes */
  inZone?: ZoneMatcher;
  /** only toward public remotes */
  identifiers: readonly Identifier[];
  /** always: printed paths lose private identifiers whatever the remote */
  redaction: readonly Identifier[];
  limits: { maxFileBytes: number; oversize: 'warn' | 'refuse' };
  policy: string[];
}

/** A blob to scan, at the first place the scope introduces it. */
interface Candidate {
  oid: string;
  path: string;
  mode: string;
  commit?: string;
  oldOid?: string;
  /** the previous version is read with the blob, to scan only what changed */
  preread?: boolean;
}

const isBlobMode = (mode: string) => mode === '100644' || mode === '100755' || mode === '120000';
const isZero = (oid: string) => /^0+$/.test(oid);
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_OBJECTS = 2_000;

/** Collects findings into violations (reported) and notices (suppressed, skipped). */
export class Findings {
  readonly violations: Violation[] = [];
  readonly notices: Notice[] = [];

  secrets(location: Location, findings: readonly Finding[]): void {
    for (const finding of findings) {
      if (finding.suppressed) this.notices.push({ type: 'suppressed', location, finding });
      else this.violations.push({ type: 'secret', location, finding });
    }
  }

  identifiers(location: Location, text: string, identifiers: readonly Identifier[]): void {
    for (const hit of findIdentifiers(text, identifiers)) {
      this.violations.push({ type: 'private-identifier', location, label: hit.label, line: hit.line, column: hit.column });
    }
  }

  oversize(location: Location, bytes: number, limits: Checks['limits']): void {
    if (limits.oversize === 'refuse') this.violations.push({ type: 'oversize', location, bytes, limit: limits.maxFileBytes });
    else this.notices.push({ type: 'skipped-oversize', location, bytes, limit: limits.maxFileBytes });
  }
}

/**
 * What every guard runs: the commits of a scope with their changed entries, the
 * blobs the scope publishes (each scanned once, for the lines it adds), every
 * commit message, and the private zones and identifiers toward public remotes.
 */
export async function inspectScope(
  repo: Repository,
  scope: RevisionScope,
  target: Target,
  checks: Checks,
  extra: { tagObjects?: string[]; refs?: number; reader?: ObjectReader } = {},
): Promise<GuardReport> {
  const stats = emptyStats();
  stats.refs = extra.refs ?? 0;
  const found = new Findings();
  const everythingIsNew = scope.all === true && scope.exclude.length === 0 && !scope.excludeRemote;
  const newObjects = everythingIsNew ? undefined : repo.newObjects(scope);
  // awaited after the log; until then a failure must not surface as an unhandled rejection
  newObjects?.catch(() => undefined);
  const candidates = new Map<string, Candidate>();
  const changed: ChangedEntry[] = [];
  const seenCommits = new Set<string>();

  for await (const record of repo.commits(scope)) {
    if (!seenCommits.has(record.oid)) {
      seenCommits.add(record.oid);
      stats.messages++;
      const location: Location = { kind: 'commit-message', commit: record.oid };
      found.secrets(location, checks.scanner.scan(record.message, { kind: 'message' }));
      found.identifiers(location, record.message, checks.identifiers);
    }
    for (const entry of record.entries) {
      if (checks.inZone) changed.push({ ...entry, commit: record.oid });
      if (!isBlobMode(entry.newMode) || isZero(entry.newOid) || candidates.has(entry.newOid)) continue;
      candidates.set(entry.newOid, candidateOf(entry, record.oid));
    }
  }
  stats.commits = seenCommits.size;

  const fresh = newObjects ? await newObjects : undefined;
  const toScan = [...candidates.values()].filter((candidate) => !fresh || fresh.has(candidate.oid));
  return finish(repo, { target, checks, found, stats, changed, toScan, tagObjects: extra.tagObjects ?? [], reader: extra.reader });
}

/** The index against HEAD: what `git commit` is about to record. */
export async function inspectIndex(repo: Repository, target: Target, checks: Checks): Promise<GuardReport> {
  const stats = emptyStats();
  const found = new Findings();
  const entries = await repo.stagedEntries();
  const toScan = entries.filter((entry) => isBlobMode(entry.newMode) && !isZero(entry.newOid)).map((entry) => candidateOf(entry));
  const changed = checks.inZone ? entries : [];
  return finish(repo, { target, checks, found, stats, changed, toScan, tagObjects: [] });
}

async function finish(
  repo: Repository,
  run: {
    target: Target;
    checks: Checks;
    found: Findings;
    stats: GuardReport['stats'];
    changed: ChangedEntry[];
    toScan: Candidate[];
    tagObjects: string[];
    /** the caller's object reader, reused (one git process fewer) and left open */
    reader?: ObjectReader;
  },
): Promise<GuardReport> {
  const { checks, found, stats } = run;
  if (checks.inZone) {
    found.violations.push(...privatePathViolations(run.changed, checks.inZone));
    const paths = new Set(run.changed.filter((entry) => entry.status !== 'D').map((entry) => entry.path));
    stats.paths = paths.size;
    for (const path of paths) found.identifiers({ kind: 'path', path }, path, checks.identifiers);
  }
  const reader = run.reader ?? repo.objects();
  try {
    await scanBlobs(reader, run.toScan, checks, found, stats);
    for (const tag of run.tagObjects) await scanTag(reader, tag, checks, found, stats);
  } finally {
    if (!run.reader) await reader.close();
  }
  return redactReport({ target: run.target, stats, violations: found.violations, notices: found.notices, policy: checks.policy }, checks.redaction);
}

function candidateOf(entry: RawEntry, commit?: string): Candidate {
  const candidate: Candidate = { oid: entry.newOid, path: entry.path, mode: entry.newMode, commit };
  if (isBlobMode(entry.oldMode) && !isZero(entry.oldOid)) candidate.oldOid = entry.oldOid;
  return candidate;
}

/**
 * Reads blobs in batches, each with its previous version (to scan only what
 * changed), requesting the next batch before scanning the current one so git
 * decompresses while we scan.
 */
async function scanBlobs(reader: ObjectReader, candidates: Candidate[], checks: Checks, found: Findings, stats: GuardReport['stats']) {
  const infos = await reader.info(candidates.map((candidate) => candidate.oid));
  const oldInfos = await reader.info(candidates.map((candidate) => candidate.oldOid ?? '0'.repeat(candidate.oid.length)));
  const batches: Candidate[][] = [];
  let batch: Candidate[] = [];
  let bytes = 0;
  let largest = 0;
  candidates.forEach((candidate, i) => {
    const info = infos[i];
    const location: Location = { kind: 'blob', commit: candidate.commit, path: candidate.path, blob: candidate.oid };
    if (!info) throw new Error(`object ${candidate.oid} (${candidate.path}) is missing from the repository`);
    if (info.size > checks.limits.maxFileBytes) {
      stats.oversizeSkipped++;
      found.oversize(location, info.size, checks.limits);
      return;
    }
    const old = oldInfos[i];
    if (!old || old.type !== 'blob') delete candidate.oldOid;
    // a small blob is scanned whole: reading its previous version up front would cost more than it saves
    else if (info.size >= WINDOW_MIN_BYTES && old.size <= checks.limits.maxFileBytes) candidate.preread = true;
    batch.push(candidate);
    bytes += info.size + (candidate.preread ? old!.size : 0);
    largest = Math.max(largest, bytes);
    if (bytes >= BATCH_BYTES || batch.length >= BATCH_OBJECTS) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
  });
  if (batch.length) batches.push(batch);

  // Two arenas sized for the largest batch, alternating: batch k+1 is read into one
  // while batch k is scanned from the other, and no object gets a buffer of its own.
  const arenas = batches.length > 1 ? [Buffer.allocUnsafeSlow(largest), Buffer.allocUnsafeSlow(largest)] : [];
  const read = (index: number) =>
    reader.contents(batches[index]!.flatMap((candidate) => (candidate.preread ? [candidate.oldOid!, candidate.oid] : [candidate.oid])), arenas[index % 2]);
  let inFlight = batches.length ? read(0) : [];
  for (const [index, current] of batches.entries()) {
    const results = inFlight;
    inFlight = index + 1 < batches.length ? read(index + 1) : [];
    let next = 0;
    for (const candidate of current) {
      const previous = candidate.preread ? await results[next++] : undefined;
      const object = await results[next++];
      if (!object) throw new Error(`object ${candidate.oid} (${candidate.path}) is missing from the repository`);
      await scanBlob(reader, candidate, object.data, previous?.data, checks, found, stats);
    }
  }
}

async function scanBlob(
  reader: ObjectReader,
  candidate: Candidate,
  data: Buffer,
  preread: Buffer | undefined,
  checks: Checks,
  found: Findings,
  stats: GuardReport['stats'],
) {
  stats.blobs++;
  stats.bytes += data.length;
  const location: Location = { kind: 'blob', commit: candidate.commit, path: candidate.path, blob: candidate.oid };
  if (candidate.mode === '120000') {
    const linked = resolveLinkTarget(candidate.path, decode(data));
    const hit = linked !== undefined ? checks.inZone?.(linked) : undefined;
    if (hit) {
      found.violations.push({
        type: 'private-path',
        location: { kind: 'path', commit: candidate.commit, path: candidate.path },
        zone: hit.zone,
        glob: hit.glob,
        change: 'symlink-target',
        entry: 'symlink',
      });
    }
  }
  if (isBinary(data)) {
    stats.binarySkipped++;
    return;
  }
  const { start, end } = preread ? changedWindow(data, preread) : { start: 0, end: data.length };
  if (start >= end) return;
  const window = data.subarray(start, end);
  const shift = start > 0 ? linesBefore(data, start) : 0;
  // the previous version, read only now when a finding needs judging (rare) unless already read
  let previous: Promise<string | undefined> | undefined;
  const previousText = () =>
    (previous ??= preread
      ? Promise.resolve(preread.toString('latin1'))
      : candidate.oldOid
        ? reader.contents([candidate.oldOid])[0]!.then((object) => object?.data.toString('latin1'))
        : Promise.resolve(undefined));
  const placed = async <F extends { line: number; endLine?: number }>(hits: F[]): Promise<F[]> => {
    if (hits.length === 0) return hits;
    const moved = hits.map((hit) => ({ ...hit, line: hit.line + shift, ...(hit.endLine ? { endLine: hit.endLine + shift } : {}) }));
    // Latin-1 on both sides: lines compare byte for byte
    return onAddedLines(moved, data.toString('latin1'), await previousText());
  };
  // Latin-1, decoded only where a keyword points: ASCII token formats read the same
  const findings = checks.scanner.scan(new Latin1Text(window), { kind: 'content', path: candidate.path }, { latin1Bytes: window });
  found.secrets(location, await placed(findings));
  if (checks.identifiers.length) {
    for (const hit of await placed(findIdentifiers(decode(window), checks.identifiers))) {
      found.violations.push({ type: 'private-identifier', location, label: hit.label, line: hit.line, column: hit.column });
    }
  }
}

/** An annotated tag publishes its message; one pointing straight at a blob publishes that blob. */
async function scanTag(reader: ObjectReader, oid: string, checks: Checks, found: Findings, stats: GuardReport['stats']) {
  for (let current = oid, depth = 0; depth < 10; depth++) {
    const [pending] = reader.contents([current]);
    const object = await pending;
    if (!object || object.type !== 'tag') {
      if (object?.type === 'blob' && !isBinary(object.data)) {
        stats.blobs++;
        stats.bytes += object.data.length;
        found.secrets({ kind: 'blob', path: '(tagged blob)', blob: object.oid }, checks.scanner.scan(decode(object.data), { kind: 'content' }));
      }
      return;
    }
    const text = decode(object.data);
    const blank = text.indexOf('\n\n');
    const message = blank === -1 ? '' : text.slice(blank + 2);
    const location: Location = { kind: 'tag-message', tag: current, object: oid };
    stats.messages++;
    found.secrets(location, checks.scanner.scan(message, { kind: 'message' }));
    found.identifiers(location, message, checks.identifiers);
    const targetLine = /^object ([0-9a-f]+)$/m.exec(text);
    if (!targetLine) return;
    current = targetLine[1]!;
  }
}
