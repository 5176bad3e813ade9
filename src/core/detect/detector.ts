import { checksumValid, jwtHeaderNamesAlgorithm } from './checksum.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { decodeSegments } from './decode.js';
import { findDockerAuths } from './docker-config.js';
import { findKubernetesSecrets } from './kubernetes.js';
import { LineIndex } from './lines.js';
import { literalPrefixes, revealable } from './literal-prefix.js';
import { isLowValueTestCredential } from './low-value.js';
import { maskSecret } from './mask.js';
import { isKnownPublicValue } from './known-public.js';
import { falsePositiveReason, type HeuristicStrength } from './placeholders.js';
import { KeywordScanner } from './prefilter.js';
import { canSpanLines } from './regex-analysis.js';
import { SpanIndex } from './span-index.js';
import type { TextLike } from './text.js';
import type {
  CompiledAllowlist,
  CompiledRule,
  Confidence,
  DetectionConfig,
  Finding,
  PatternShape,
  RegexSource,
  ScanOptions,
  ScanTarget,
  Suppression,
} from './types.js';

export interface Detector {
  /** Reported and suppressed findings (the latter carry `suppressed`), in text order. */
  scan(text: TextLike, target: ScanTarget, options?: ScanOptions): Finding[];
  /**
   * Which path allowlists (global, per rule) a path falls under, as a key: '' for
   * none. Two paths with the same key get the same findings from the same content.
   */
  pathKey(path: string): string;
  readonly ruleIds: readonly string[];
}

/**
 * Lines longer than this (minified bundles, data URIs) are not given whole to a rule's
 * regex: only windows around its keyword hits are. Rules are linear-time, but a
 * 5 MB line times 200 rules is still too much work for one push.
 */
export const LONG_LINE = 16 * 1024;
/** Window around a keyword hit on a long line: tokens rarely exceed a few hundred characters. */
const WINDOW_BEFORE = 512;
const WINDOW_AFTER = 4096;
/**
 * Bounds a rule's candidates in one text (memory, on a generated file full of
 * matches). Candidates are counted before placeholders are filtered, so the bound is
 * high: a real secret after a few thousand placeholder lines must still be seen.
 */
const MAX_MATCHES_PER_RULE = 100_000;

/** Rules tagged so get the full false-positive heuristics and yield to specific rules. */
export const GENERIC_TAG = 'generic';

export class DetectionError extends Error {
  override readonly name = 'DetectionError';
}

interface Rule {
  index: number;
  id: string;
  description: string;
  regex: RegExp | undefined;
  secretGroup: number;
  /** the regex cannot match a newline, so it runs on keyword lines only */
  lineBound: boolean;
  entropy: number | undefined;
  checksum: CompiledRule['checksum'];
  detector: CompiledRule['detector'];
  allow: Allow;
  strength: HeuristicStrength;
  generic: boolean;
  hasKeywords: boolean;
  /** the fixed texts the secret starts with: all a mask shows */
  prefixes: string[];
  /** what a finding of this rule is worth when nothing lowers it */
  confidence: Confidence;
  lowValueInTests: boolean;
}

interface Allow {
  paths: RegExp[];
  regexes: RegExp[];
  stopwords: string[];
}

interface Candidate {
  rule: Rule;
  secret: string;
  secretStart: number;
  matchStart: number;
  matchEnd: number;
}

interface Located {
  candidate: Candidate;
  finding: Finding;
}

export function createDetector(config: DetectionConfig): Detector {
  const globalAllow = hydrateAllowlist(config.allowlist, '(global allowlist)');
  const rules = config.rules.map(hydrateRule);
  const keywordIds = new Map<string, number>();
  const keywordRules: number[][] = [];
  for (const [index, spec] of config.rules.entries()) {
    for (const raw of spec.keywords) {
      const kw = raw.toLowerCase();
      if (kw === '') continue;
      let id = keywordIds.get(kw);
      if (id === undefined) {
        id = keywordRules.length;
        keywordIds.set(kw, id);
        keywordRules.push([]);
      }
      const list = keywordRules[id]!;
      if (list[list.length - 1] !== index) list.push(index);
    }
  }
  const scanner = new KeywordScanner([...keywordIds.keys()]);
  const ignores = new Map(config.ignores.map((e) => [e.fingerprint, e.reason]));
  const marker = config.inlineMarker;

  function scan(text: TextLike, target: ScanTarget, options: ScanOptions = {}): Finding[] {
    const path = target.path?.normalize('NFC');
    if (path !== undefined && globalAllow.paths.some((re) => re.test(path))) return [];
    const plain = scanPlain(text, path, options);
    const decoded = scanDecoded(text, path, options);
    return mergeDecoded(plain, decoded)
      .map((l) => l.finding)
      .sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  }

  /**
   * Every rule on the decoded text of each encoded span (decode.ts), each finding
   * placed at the span in the scanned text and marked with the encodings undone.
   */
  function scanDecoded(text: TextLike, path: string | undefined, options: ScanOptions): Located[] {
    let index: LineIndex | undefined;
    const linesOf = () => (index ??= new LineIndex(text));
    const isReported = options.isReportedLine;
    // a span on no reported line is not even decoded: the hook scans whole blobs but reports added lines
    const wanted = (start: number, end: number): boolean => {
      if (!isReported) return true;
      const lines = linesOf();
      const last = lines.lineOf(Math.max(start, end - 1));
      for (let l = lines.lineOf(start); l <= last; l++) if (isReported(l)) return true;
      return false;
    };
    const segments = decodeSegments(text, undefined, wanted, options.latin1Bytes);
    if (segments.length === 0) return [];
    const lines = linesOf();
    const out: Located[] = [];
    for (const seg of segments) {
      const firstLine = lines.lineOf(seg.start);
      const lastLine = lines.lineOf(Math.max(seg.start, seg.end - 1));
      for (const l of scanPlain(seg.text, path, {})) {
        const f = l.finding;
        const finding: Finding = {
          ...f,
          line: firstLine,
          column: columnOf(text, lines.startOf(firstLine), seg.start, options.latin1Bytes !== undefined),
          encoding: seg.encoding,
        };
        delete finding.endLine;
        if (lastLine > firstLine) finding.endLine = lastLine;
        const suppressed = f.suppressed ?? suppression(f.fingerprint, text, lines, firstLine, lastLine);
        if (suppressed) finding.suppressed = suppressed;
        // the span that clashes with plain findings is the encoded one
        out.push({ candidate: { ...l.candidate, secretStart: seg.start, matchStart: seg.start, matchEnd: seg.end, secret: 'x'.repeat(seg.end - seg.start) }, finding });
      }
    }
    return out;
  }

  function scanPlain(text: TextLike, path: string | undefined, options: ScanOptions): Located[] {

    // Keyword hits grouped by rule: line starts (for line-bound rules) and positions.
    const hits = scanner.scan(text, options.latin1Bytes);
    const perRule = new Map<number, number[]>();
    for (let h = 0; h < hits.count; h++) {
      for (const r of keywordRules[hits.keyword[h]!]!) {
        let list = perRule.get(r);
        if (!list) perRule.set(r, (list = []));
        list.push(hits.position[h]!, hits.lineStart[h]!);
      }
    }
    const everywhere = scanner.overflowed;

    const candidates: Candidate[] = [];
    for (const rule of rules) {
      const ruleHits = perRule.get(rule.index);
      // Past MAX_HITS the scanner stopped recording: a rule without recorded hits may
      // still have its keyword further on, so it runs everywhere.
      if (rule.hasKeywords && ruleHits === undefined && !everywhere) continue;
      if (path !== undefined && rule.allow.paths.some((re) => re.test(path))) continue;
      const found: Candidate[] = [];
      if (rule.detector !== undefined) {
        const starts = ruleHits && !everywhere ? lineStartsOf(ruleHits) : allLineStarts(text);
        const worth = (value: string) => rule.entropy === undefined || shannonEntropy(value) >= rule.entropy;
        const seen = rule.detector === 'kubernetes-secret' ? findKubernetesSecrets(text, starts, MAX_MATCHES_PER_RULE, worth) : findDockerAuths(text, starts, MAX_MATCHES_PER_RULE);
        for (const c of seen) found.push({ rule, ...c });
      } else if (rule.regex) {
        if (!rule.lineBound || !ruleHits || everywhere) runRegex(rule, text, 0, text.length, found);
        else runOnLines(rule, text, ruleHits, found);
      }
      // one at a time: spreading a hundred thousand candidates as arguments overflows the stack
      for (let i = 0; i < found.length && i < MAX_MATCHES_PER_RULE; i++) candidates.push(found[i]!);
    }
    if (candidates.length === 0) return [];

    const lines = new LineIndex(text);
    const located: Located[] = [];
    const seen = new Set<string>();
    // Checksummed formats first, then the other specific rules, then the generic ones:
    // a checksum verdict vetoes every later rule on that text (below).
    const stage = (c: Candidate): number => (c.rule.generic ? 2 : c.rule.checksum ? 0 : 1);
    const ordered = [0, 1, 2].flatMap((s) => candidates.filter((c) => stage(c) === s));
    const vetoes = new SpanIndex();
    for (const c of ordered) {
      const key = `${c.rule.index}:${c.secretStart}:${c.secret.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!c.rule.checksum && vetoes.overlaps(c.secretStart, c.secretStart + c.secret.length)) continue;
      const finding = guarded(c.rule, () => evaluate(c, text, lines, options, vetoes, path));
      if (finding) located.push({ candidate: c, finding });
      // A structured detector read the value as what it is (a Kubernetes `data:` value
      // is base64 of the secret): whatever it decided, a later generic rule must not
      // judge the raw text again (`password: Y2hhbmdlbWU=` is "changeme").
      if (c.rule.detector !== undefined) vetoes.add(c.secretStart, c.secretStart + c.secret.length);
    }
    return resolveOverlaps(located);
  }

  /** Rejects candidates that are not secrets, then places and suppresses the rest. */
  function evaluate(
    c: Candidate,
    text: TextLike,
    lines: LineIndex,
    options: ScanOptions,
    vetoes: SpanIndex,
    path: string | undefined,
  ): Finding | undefined {
    const { rule, secret } = c;
    if (secret === '') return undefined;
    let confidence = rule.confidence;
    if (rule.checksum && !checksumValid(rule.checksum, secret)) {
      // A token of a checksummed format whose checksum fails is a hand-made placeholder
      // of the right shape, or a real token typo'd or cut short: its own rule reports
      // it at low confidence, and no other rule may report it at a higher one (an
      // `.npmrc` rule, a generic assignment rule). A JWT-shaped string whose header
      // names no algorithm is not a token at all; one whose header names an algorithm
      // but no longer parses is a damaged token.
      if (!rule.generic) vetoes.add(c.secretStart, c.secretStart + secret.length);
      if (rule.checksum === 'jwt' && !jwtHeaderNamesAlgorithm(secret)) return undefined;
      confidence = 'low';
    }
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return undefined;
    const lower = secret.toLowerCase();
    if (globalAllow.stopwords.some((w) => lower.includes(w))) return undefined;
    if (rule.allow.stopwords.some((w) => lower.includes(w))) return undefined;
    if (globalAllow.regexes.some((re) => re.test(secret))) return undefined;
    if (rule.allow.regexes.some((re) => re.test(secret))) return undefined;
    if (isKnownPublicValue(secret)) return undefined;
    // from the secret's own line: a rule spanning lines (`username = …` then `password = …`)
    // assigns the secret on the last, and the assigned name is judged there
    const nameStart = Math.max(c.matchStart, text.lastIndexOf('\n', c.secretStart - 1) + 1);
    const matchText = text.slice(nameStart, Math.min(c.matchEnd, nameStart + 200));
    // A valid checksum is stronger evidence than any shape heuristic: a JWT looks like
    // a dotted identifier to the generic heuristics.
    const strength = rule.checksum ? 'provider' : rule.strength;
    if (falsePositiveReason(secret, strength, matchText) !== undefined) return undefined;
    if (rule.lowValueInTests && isLowValueTestCredential(secret, path)) return undefined;

    const firstLine = lines.lineOf(c.matchStart);
    const lastLine = lines.lineOf(Math.max(c.matchStart, c.matchEnd - 1));
    if (options.isReportedLine) {
      let touches = false;
      for (let l = firstLine; l <= lastLine && !touches; l++) touches = options.isReportedLine(l);
      if (!touches) return undefined;
    }
    const line = lines.lineOf(c.secretStart);
    const finding: Finding = {
      ruleId: rule.id,
      description: rule.description,
      line,
      column: columnOf(text, lines.startOf(line), c.secretStart, options.latin1Bytes !== undefined),
      masked: maskSecret(secret, revealable(secret, rule.prefixes, rule.regex?.ignoreCase ?? false)),
      fingerprint: fingerprint(rule.id, secret),
      confidence,
    };
    if (lastLine > line) finding.endLine = lastLine;
    const suppressed = suppression(finding.fingerprint, text, lines, firstLine, lastLine);
    if (suppressed) finding.suppressed = suppressed;
    return finding;
  }

  function suppression(
    fp: string,
    text: TextLike,
    lines: LineIndex,
    firstLine: number,
    lastLine: number,
  ): Suppression | undefined {
    const reason = ignores.get(fp);
    if (reason !== undefined) return { by: 'ignore', reason };
    if (marker !== '' && text.slice(lines.startOf(firstLine), lines.endOf(lastLine)).includes(marker)) {
      return { by: 'inline-marker' };
    }
    return undefined;
  }

  const allowPathSets = [globalAllow.paths, ...rules.map((rule) => rule.allow.paths)].map((paths, i) => ({ i, paths })).filter((set) => set.paths.length);
  // a history names the same paths again and again
  const pathKeys = new Map<string, string>();
  function pathKey(rawPath: string): string {
    let key = pathKeys.get(rawPath);
    if (key === undefined) {
      const path = rawPath.normalize('NFC');
      key = allowPathSets
        .filter((set) => set.paths.some((re) => re.test(path)))
        .map((set) => set.i)
        .join(',');
      pathKeys.set(rawPath, key);
    }
    return key;
  }

  return { scan, pathKey, ruleIds: rules.map((r) => r.id) };
}

/** Runs the rule on each line holding one of its keywords, or on windows of long lines. */
function runOnLines(rule: Rule, text: TextLike, ruleHits: number[], out: Candidate[]): void {
  // ruleHits: (position, lineStart) pairs, in text order except for rare slow-path keywords.
  const byLine = new Map<number, number[]>();
  for (let k = 0; k < ruleHits.length; k += 2) {
    const lineStart = ruleHits[k + 1]!;
    let positions = byLine.get(lineStart);
    if (!positions) byLine.set(lineStart, (positions = []));
    positions.push(ruleHits[k]!);
  }
  for (const [lineStart, positions] of byLine) {
    if (out.length >= MAX_MATCHES_PER_RULE) return;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd - lineStart <= LONG_LINE) {
      runRegex(rule, text, lineStart, lineEnd, out);
      continue;
    }
    positions.sort((a, b) => a - b);
    let from = -1;
    let to = -1;
    for (const p of positions) {
      const s = Math.max(lineStart, p - WINDOW_BEFORE);
      const e = Math.min(lineEnd, p + WINDOW_AFTER);
      if (s <= to) {
        to = Math.max(to, e);
        continue;
      }
      if (to > from) runRegex(rule, text, from, to, out);
      from = s;
      to = e;
    }
    if (to > from) runRegex(rule, text, from, to, out);
  }
}

function runRegex(rule: Rule, text: TextLike, from: number, to: number, out: Candidate[]): void {
  const re = rule.regex!;
  const slice = typeof text === 'string' && from === 0 && to === text.length ? text : text.slice(from, to);
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(slice)) !== null && out.length < MAX_MATCHES_PER_RULE) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const secret = m[rule.secretGroup];
    if (secret === undefined || secret === '') continue;
    const span = m.indices?.[rule.secretGroup];
    const secretStart = from + (span ? span[0] : m.index + Math.max(0, m[0].indexOf(secret)));
    out.push({ rule, secret, secretStart, matchStart: from + m.index, matchEnd: from + m.index + m[0].length });
  }
}

function lineStartsOf(ruleHits: number[]): Set<number> {
  const starts = new Set<number>();
  for (let k = 1; k < ruleHits.length; k += 2) starts.add(ruleHits[k]!);
  return starts;
}

function allLineStarts(text: TextLike): number[] {
  const starts = [0];
  let at = text.indexOf('\n');
  while (at !== -1) {
    starts.push(at + 1);
    at = text.indexOf('\n', at + 1);
  }
  return starts;
}

/**
 * One secret, one finding: a generic rule's finding is dropped when a finding of a
 * rule not tagged generic, or of an earlier generic rule, covers part of its secret
 * (`api_key = "<a GitHub token>"` is a GitHub token, not a generic assignment).
 * Two specific rules that found exactly the same secret report it once, under the
 * earlier rule (a Clerk key has a Stripe key's shape; the Clerk rule, which needs
 * the word "clerk" nearby, comes first).
 */
function resolveOverlaps(found: Located[]): Located[] {
  const priority = (l: Located): number => (l.candidate.rule.generic ? 1e6 : 0) + l.candidate.rule.index;
  const ordered = [...found].sort((a, b) => priority(a) - priority(b));
  const kept: Located[] = [];
  const keptSpans = new SpanIndex();
  const keptExact = new Set<string>();
  for (const l of ordered) {
    const c = l.candidate;
    const s = c.secretStart;
    const e = c.secretStart + c.secret.length;
    const clash = c.rule.generic ? keptSpans.overlaps(s, e) : keptExact.has(`${s}:${e}`);
    if (clash) continue;
    kept.push(l);
    keptSpans.add(s, e);
    keptExact.add(`${s}:${e}`);
  }
  return kept;
}

/**
 * One secret, one finding, whether seen plain or decoded: where a decoded finding's
 * encoded span overlaps a plain finding, the plain one stands unless it is generic and
 * the decoded one is not (`password: <base64 of a GitHub token>` is a GitHub token), or
 * it is a Kubernetes `data:` value (the whole decoded value) holding a decoded finding.
 * The same decoded secret found through two encodings of one span is reported once.
 */
function mergeDecoded(plain: Located[], decoded: Located[]): Located[] {
  if (decoded.length === 0) return plain;
  const span = (l: Located): [number, number] => [l.candidate.secretStart, l.candidate.secretStart + l.candidate.secret.length];
  const overlaps = (a: Located, b: Located): boolean => {
    const [as, ae] = span(a);
    const [bs, be] = span(b);
    return as < be && bs < ae;
  };
  let kept = [...plain];
  const seen = new Set<string>();
  for (const d of decoded) {
    const key = `${d.finding.fingerprint}:${d.finding.line}`;
    if (seen.has(key)) continue;
    const clashes = kept.filter((p) => overlaps(p, d));
    // a Kubernetes finding is the whole decoded value: what was found inside it is more precise
    const yields = (p: Located) => p.candidate.rule.generic && (!d.candidate.rule.generic || p.candidate.rule.detector === 'kubernetes-secret');
    if (!clashes.every(yields)) continue;
    kept = kept.filter((p) => !clashes.includes(p));
    kept.push(d);
    seen.add(key);
  }
  return kept;
}

/** Errors raised while handling a candidate must not carry it (JSON.parse, say, quotes its input). */
function guarded<T>(rule: Rule, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const kind = e instanceof Error ? e.name : typeof e;
    throw new DetectionError(`rule ${rule.id}: internal error (${kind}) while checking a match`);
  }
}

/**
 * `m`: a rule run on one line and the same rule run on a whole text must agree on
 * what `^` and `$` mean. `d`: the secret group's offset, for the column.
 */
function regexFlags(flags: string, secretGroup: number): string {
  return flags.replace(/[gmdy]/g, '') + 'gm' + (secretGroup > 0 ? 'd' : '');
}

/** Reading a pattern's text costs about as much as the scan of a push, so the policy compiler does it once. */
export function patternShape(pattern: RegexSource | undefined, secretGroup: number): PatternShape {
  if (!pattern) return { lineBound: false, prefixes: [] };
  return { lineBound: !canSpanLines(pattern.source, regexFlags(pattern.flags, secretGroup)), prefixes: literalPrefixes(pattern.source, secretGroup) };
}

function hydrateRule(spec: CompiledRule, index: number): Rule {
  let regex: RegExp | undefined;
  if (spec.pattern) {
    try {
      regex = new RegExp(spec.pattern.source, regexFlags(spec.pattern.flags, spec.secretGroup));
    } catch (e) {
      throw new DetectionError(`rule ${spec.id}: invalid regex (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const { lineBound, prefixes } = spec.shape ?? patternShape(spec.pattern, spec.secretGroup);
  const generic = spec.tags.includes(GENERIC_TAG);
  return {
    index,
    id: spec.id,
    description: spec.description,
    regex,
    secretGroup: spec.secretGroup,
    lineBound,
    entropy: spec.entropy,
    checksum: spec.checksum,
    detector: spec.detector,
    allow: hydrateAllowlist(spec.allowlist, `rule ${spec.id}`),
    strength: spec.detector !== undefined ? 'decoded' : generic ? 'generic' : 'provider',
    generic,
    hasKeywords: spec.keywords.some((k) => k !== ''),
    prefixes,
    confidence: spec.confidence ?? inferredConfidence(spec, generic, prefixes),
    lowValueInTests: spec.lowValueInTests === true,
  };
}

/**
 * A provider format with a fixed prefix of three characters or more (`ghp_`, `AKIA`,
 * `xoxb`) or a checksum is high; a format found by its context (the provider's name
 * before a value), a generic detector or a structural one is medium.
 */
function inferredConfidence(spec: CompiledRule, generic: boolean, prefixes: readonly string[]): Confidence {
  if (spec.checksum === 'github' || spec.checksum === 'npm') return 'high';
  if (generic || spec.detector !== undefined) return 'medium';
  return prefixes.length > 0 && prefixes.every((p) => p.length >= 3) ? 'high' : 'medium';
}

function hydrateAllowlist(a: CompiledAllowlist, where: string): Allow {
  const compile = (r: { source: string; flags: string }): RegExp => {
    try {
      return new RegExp(r.source, r.flags.replace(/[gy]/g, ''));
    } catch (e) {
      throw new DetectionError(`${where}: invalid allowlist regex (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  return {
    paths: a.paths.map(compile),
    regexes: a.regexes.map(compile),
    stopwords: a.stopwords.map((w) => w.toLowerCase()).filter((w) => w !== ''),
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * 1-based column in UTF-16 code units. Text decoded as Latin-1 holds UTF-8 bytes
 * one per character, so the line's prefix is re-read as UTF-8 when it is valid
 * (a Latin-1 file keeps its byte column).
 */
function columnOf(text: TextLike, lineStart: number, offset: number, latin1: boolean): number {
  if (!latin1) return offset - lineStart + 1;
  const prefix = text.slice(lineStart, offset);
  if (!/[\x80-\xff]/.test(prefix)) return prefix.length + 1;
  const bytes = Uint8Array.from(prefix, (ch) => ch.charCodeAt(0));
  try {
    return strictUtf8.decode(bytes).length + 1;
  } catch {
    return prefix.length + 1;
  }
}
