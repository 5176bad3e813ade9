import type { ObjectReader } from '../../adapters/git/object-reader.js';
import { onAddedLines } from '../../core/guard/added-lines.js';
import type { GuardReport, Location } from '../../core/guard/types.js';
import { findIdentifiers, redactIdentifiers } from '../../core/identifiers.js';
import { decode, isBinary } from '../../core/text.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { resolveLinkTarget } from '../../core/zones.js';
import { changedWindow, linesBefore, WINDOW_MIN_BYTES } from './changed-window.js';
import type { Findings } from './findings.js';
import type { Candidate, Checks } from './checks.js';
import { Latin1Text } from './latin1-text.js';

const BATCH_BYTES = 2 * 1024 * 1024;
/** a longer chain of tags is refused, not followed */
const MAX_TAG_DEPTH = 10;
const BATCH_OBJECTS = 2_000;

/**
 * Reads blobs in batches (large ones with their previous version, to scan only
 * what changed), requesting the next batch before scanning the current one so
 * git decompresses while we scan.
 */
export async function scanBlobs(reader: ObjectReader, candidates: Candidate[], checks: Checks, found: Findings, stats: GuardReport['stats']) {
  const infos = await reader.info(candidates.map((candidate) => candidate.oid));
  const oldInfos = await reader.info(candidates.map((candidate) => candidate.oldOid ?? '0'.repeat(candidate.oid.length)));
  const batches: Candidate[][] = [];
  let batch: Candidate[] = [];
  let bytes = 0;
  let largest = 0;
  candidates.forEach((candidate, i) => {
    const info = infos[i];
    const location: Location = { kind: 'blob', commit: candidate.commit, path: candidate.path, blob: candidate.oid };
    if (!info) throw new Error(`object ${candidate.oid} (${redactIdentifiers(candidate.path, checks.redaction)}) is missing from the repository`);
    if (info.size > checks.limits.maxFileBytes) {
      stats.oversizeSkipped++;
      found.oversize(location, info.size, checks.limits);
      return;
    }
    const old = oldInfos[i];
    // a previous version we would not scan (too large) proves nothing about which lines are new
    if (!old || old.type !== 'blob' || old.size > checks.limits.maxFileBytes) delete candidate.oldOid;
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
      if (!object) throw new Error(`object ${candidate.oid} (${redactIdentifiers(candidate.path, checks.redaction)}) is missing from the repository`);
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
  // nor does a binary one (never scanned): every line of this version counts as added
  if (preread && isBinary(preread)) preread = undefined;
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
        ? reader.contents([candidate.oldOid])[0]!.then((object) => (object && !isBinary(object.data) ? object.data.toString('latin1') : undefined))
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
  if (checks.identifiers.length) found.identifierHits(location, await placed(findIdentifiers(decode(window), checks.identifiers)));
}

/**
 * An annotated tag publishes its message; one pointing at a blob (or a ref naming a
 * blob directly) publishes that blob. A tree named this way has no commit to read
 * its entries from, so the push is refused rather than waved through unchecked.
 */
export async function scanTag(reader: ObjectReader, oid: string, checks: Checks, found: Findings, stats: GuardReport['stats']) {
  for (let current = oid, depth = 0; ; depth++) {
    if (depth > MAX_TAG_DEPTH) {
      throw new MirrorError('tag-chain-too-long', `the tag ${oid} is a chain of more than ${MAX_TAG_DEPTH} tags; refusing what cannot be inspected`, {
        exitCode: ExitCode.violations,
      });
    }
    const [pending] = reader.contents([current]);
    const object = await pending;
    if (!object) throw new Error(`object ${current} is missing from the repository`);
    if (object.type === 'commit') return;
    if (object.type === 'tree') {
      throw new MirrorError('tree-ref', `${oid === current ? 'a pushed ref names' : `the tag ${oid} points at`} the tree ${current}: the guard checks commits, tags and blobs only`, {
        suggestions: ['push a commit holding that tree instead'],
        exitCode: ExitCode.violations,
      });
    }
    if (object.type === 'blob') {
      const location: Location = { kind: 'tagged-blob', tag: oid, blob: object.oid };
      if (object.data.length > checks.limits.maxFileBytes) {
        stats.oversizeSkipped++;
        found.oversize(location, object.data.length, checks.limits);
      } else if (isBinary(object.data)) {
        stats.blobs++;
        stats.binarySkipped++;
      } else {
        stats.blobs++;
        stats.bytes += object.data.length;
        const text = decode(object.data);
        found.secrets(location, checks.scanner.scan(text, { kind: 'content' }));
        found.identifiers(location, text, checks.identifiers);
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
    // the tagger's name and email, and the name the tag object carries, are published with it
    if (checks.identifiers.length) {
      const header = (blank === -1 ? text : text.slice(0, blank)).split('\n').filter((line) => line.startsWith('tagger ') || line.startsWith('tag ')).join('\n');
      found.identifiers({ kind: 'tag-identity', tag: current }, header, checks.identifiers);
    }
    const targetLine = /^object ([0-9a-f]+)$/m.exec(text);
    if (!targetLine) throw new Error(`the tag ${current} names no object`);
    current = targetLine[1]!;
  }
}
