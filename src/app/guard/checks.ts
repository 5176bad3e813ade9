import type { FindingsOptions } from './findings.js';
import type { TextLike } from '../../core/detect/text.js';
import type { Finding, ScanOptions, ScanTarget } from '../../core/detect/types.js';
import type { Identifier } from '../../core/identifiers.js';
import type { ZoneMatcher } from '../../core/zones.js';

/** What the guard's inspection and its blob scanner share: the checks to run and the blobs to read. */
export interface SecretScanner {
  scan(text: TextLike, target: ScanTarget, options?: ScanOptions): Finding[];
  /** '' unless a path allowlist applies to the path (then a key naming which) */
  pathKey(path: string): string;
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
  /** the confidence to refuse at and the baseline to accept */
  findings?: FindingsOptions;
}

/** A blob to scan, at the first place the scope introduces it. */
export interface Candidate {
  oid: string;
  path: string;
  mode: string;
  commit?: string;
  oldOid?: string;
  /** the previous version is read with the blob, to scan only what changed */
  preread?: boolean;
}
