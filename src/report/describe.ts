import type { Finding } from '../core/detect/types.js';
import type { Location, ScanStats, Violation } from '../core/guard/types.js';

export const short = (oid: string | undefined) => (oid ? oid.slice(0, 10) : '');

/** A path with control characters (a newline, an escape) is quoted so it cannot forge output lines. */
export function printable(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}

/** `path:line:col in <commit>`, or what the message belongs to. */
export function where(location: Location, position: { line?: number; column?: number } = {}): string {
  const at = position.line ? `:${position.line}${position.column ? `:${position.column}` : ''}` : '';
  switch (location.kind) {
    case 'blob':
    case 'path':
      return `${printable(location.path)}${at}${location.commit ? ` in ${short(location.commit)}` : ''}`;
    case 'file':
      return `${printable(location.path)}${at}`;
    case 'commit-message':
      return `message of commit ${short(location.commit)}${position.line ? ` (line ${position.line})` : ''}`;
    case 'commit-identity':
      return `author or committer of commit ${short(location.commit)}`;
    case 'tag-message':
      return `message of tag ${short(location.tag)}${position.line ? ` (line ${position.line})` : ''}`;
    case 'tag-identity':
      return `name or tagger of tag ${short(location.tag)}`;
    case 'ref-name':
      return `name of ref ${printable(location.ref)}`;
    case 'tagged-blob':
      return `blob ${short(location.blob)} tagged by ${short(location.tag)}${position.line ? ` (line ${position.line})` : ''}`;
  }
}

/** The repository path of a violation, when it has one (SARIF and annotations need it). */
export function pathOf(location: Location): string | undefined {
  return location.kind === 'blob' || location.kind === 'path' || location.kind === 'file' ? location.path : undefined;
}

export function lineOf(violation: Violation): { line?: number; column?: number } {
  if (violation.type === 'secret') return { line: violation.finding.line, column: violation.finding.column };
  if (violation.type === 'private-identifier') return { line: violation.line, column: violation.column };
  return {};
}

export function ruleOf(violation: Violation): string {
  switch (violation.type) {
    case 'secret':
      return violation.finding.ruleId;
    case 'private-path':
      return `private-path/${violation.zone}`;
    case 'private-identifier':
      return 'private-identifier';
    case 'oversize':
      return 'oversize';
  }
}

export function summary(violation: Violation): string {
  switch (violation.type) {
    case 'secret':
      return secretSummary(violation.finding);
    case 'private-path':
      return violation.change === 'symlink-target'
        ? `symlink pointing into private zone "${violation.zone}" (${violation.glob})`
        : `${violation.entry} in private zone "${violation.zone}" (${violation.glob}), ${violation.change}`;
    case 'private-identifier':
      return `private identifier "${violation.label}"`;
    case 'oversize':
      return `not scanned: ${violation.bytes} bytes, over the ${violation.limit}-byte limit`;
  }
}

/** `GitHub personal access token: ghp_**** (fingerprint fp1:…, confidence high)` */
export function secretSummary(finding: Finding): string {
  const decoded = finding.encoding ? `, found decoded: ${finding.encoding}` : '';
  return `${finding.description}: ${finding.masked} (fingerprint ${finding.fingerprint}, confidence ${finding.confidence}${decoded})`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "2 refs, 20 commits, 143 blobs (1.2 MiB), 20 messages; 3 binary not scanned for secrets" */
export function scanned(stats: ScanStats): string {
  const content = stats.files ? count(stats.files, 'file') : count(stats.blobs, 'blob');
  const parts = [
    stats.refs ? count(stats.refs, 'ref') : '',
    stats.commits ? count(stats.commits, 'commit') : '',
    `${content} (${formatBytes(stats.bytes)})`,
    stats.messages ? count(stats.messages, 'message') : '',
    stats.paths ? count(stats.paths, 'path') : '',
  ].filter(Boolean);
  const skipped = [
    stats.binarySkipped ? `${stats.binarySkipped} binary not scanned for secrets` : '',
    stats.oversizeSkipped ? `${stats.oversizeSkipped} over the size limit` : '',
  ].filter(Boolean);
  return parts.join(', ') + (skipped.length ? `; ${skipped.join(', ')}` : '');
}

/** One line: what and where, for plans and job summaries. */
export function describeViolation(violation: Violation): string {
  return `${summary(violation)} at ${where(violation.location, lineOf(violation))}`;
}
