/**
 * The contract between the policy layer (which validates and compiles rules) and the
 * detection engine (which finds secrets in text). Everything here is plain,
 * JSON-serialisable data so a compiled policy can be cached between hook runs.
 */

/** A regular expression as data: compiled policies are cached as JSON. */
export interface RegexSource {
  source: string;
  flags: string;
}

/**
 * Offline validators for token formats that carry a checksum. `jwt` is not a checksum
 * strictly, but plays the same role: the header must decode to a JSON object naming
 * an `alg`, which random base64 text never does.
 */
export type ChecksumId = 'github' | 'npm' | 'jwt';

/**
 * How sure a finding is. `high`: a distinctive fixed prefix or a valid checksum;
 * `medium`: a provider's format found by its context, or a generic detector;
 * `low`: the shape is right but the evidence is weak (a checksummed format whose
 * checksum fails: a typo'd or truncated real token, or a hand-made placeholder).
 * The guard refuses at `medium` and up by default; lower findings are warnings.
 */
export type Confidence = 'low' | 'medium' | 'high';
export const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

export function confidenceAtLeast(c: Confidence, min: Confidence): boolean {
  return CONFIDENCES.indexOf(c) >= CONFIDENCES.indexOf(min);
}

/** Structural detectors that a single regular expression cannot express. */
export type DetectorId = 'kubernetes-secret' | 'docker-config-auth';

/** A secret rule as written in a policy file, after schema validation. */
export interface RuleSpec {
  /** kebab-case, unique across the effective policy */
  id: string;
  description: string;
  /** JavaScript RegExp source; no inline flags (Node 20 has no `(?i:)` groups) */
  regex?: string;
  ignoreCase?: boolean;
  /** capture group holding the secret; default: 1 when the regex has a group, else 0 */
  secretGroup?: number;
  /** lowercase literals; the rule only runs on text containing one of them (empty: always runs) */
  keywords?: string[];
  /** minimum Shannon entropy, bits per character, of the secret */
  entropy?: number;
  /** offline validity check: a github/npm token failing it is reported at `low`; a failing `jwt` is dropped */
  checksum?: ChecksumId;
  /** a built-in structural detector (used instead of `regex`) */
  detector?: DetectorId;
  /** overrides the confidence the engine infers from the rule's shape */
  confidence?: Confidence;
  /**
   * Inside test files, a credential made of plain words (`tobi:ferret`, base64-decoded
   * first when it is base64) is a fixture, not a secret: it is not reported.
   */
  lowValueInTests?: boolean;
  allowlist?: AllowlistSpec;
  tags?: string[];
}

export interface AllowlistSpec {
  description?: string;
  /** globs, matched case-insensitively against the normalised repository-relative path */
  paths?: string[];
  /** matched against the secret */
  regexes?: string[];
  /** a secret containing one of these (case-insensitive) is not reported */
  stopwords?: string[];
}

export interface CompiledAllowlist {
  /** path globs compiled to regexes; tested against `path.normalize('NFC')` */
  paths: RegexSource[];
  regexes: RegexSource[];
  /** lowercase */
  stopwords: string[];
}

export interface CompiledRule {
  id: string;
  description: string;
  pattern?: RegexSource;
  secretGroup: number;
  keywords: string[];
  entropy?: number;
  checksum?: ChecksumId;
  detector?: DetectorId;
  confidence?: Confidence;
  lowValueInTests?: boolean;
  allowlist: CompiledAllowlist;
  tags: string[];
  /** what the pattern's text implies (detector.ts `patternShape`), worked out once when the policy compiles */
  shape?: PatternShape;
}

export interface PatternShape {
  /** no match can cross a line break, so the regex may run on the lines a keyword points at */
  lineBound: boolean;
  /** literal starts of the secret, shown unmasked */
  prefixes: string[];
}

export interface IgnoreEntry {
  fingerprint: string;
  reason: string;
}

export interface DetectionConfig {
  rules: CompiledRule[];
  /** applies to every rule */
  allowlist: CompiledAllowlist;
  ignores: IgnoreEntry[];
  /** a line containing this marker reports nothing (`mirror:allow`) */
  inlineMarker: string;
}

/** What is being scanned: a path is known for blobs and files, not for messages. */
export interface ScanTarget {
  kind: 'content' | 'message';
  /** repository-relative, `/`-separated */
  path?: string;
}

export interface ScanOptions {
  /** when given, only findings that touch one of these 1-based lines are reported */
  isReportedLine?: (line: number) => boolean;
  /**
   * The bytes `text` was decoded from as Latin-1 (one character per byte). The
   * keyword prefilter then reads them directly, and columns are converted back to
   * characters of the UTF-8 text: blobs are scanned without ever being decoded as
   * UTF-8, the most expensive step of a scan.
   */
  latin1Bytes?: Uint8Array;
}

/** Why a finding was not reported; kept so `--show-suppressed` and tests can see it. */
export type Suppression =
  | { by: 'ignore'; reason: string }
  | { by: 'inline-marker' }
  | { by: 'baseline' };

/**
 * A finding never carries the secret itself: only a mask and a fingerprint.
 * That makes it impossible for any reporter to print a secret.
 */
export interface Finding {
  ruleId: string;
  description: string;
  /** 1-based */
  line: number;
  /** 1-based, in UTF-16 code units of the decoded line */
  column: number;
  /** the last line of a match spanning several lines (a PEM block), when it does */
  endLine?: number;
  /** e.g. `ghp_****************`: only the format's fixed prefix, at most 4 characters, is revealed */
  masked: string;
  /** stable id of (rule, secret): what `ignores` entries key on */
  fingerprint: string;
  confidence: Confidence;
  /** set when the secret was found decoded (`base64`, `base64/json-escape`): the location is the encoded span's */
  encoding?: string;
  suppressed?: Suppression;
}
