import type { TextLike } from './text.js';
import { decodeBase64Url } from './checksum.js';

/**
 * Kubernetes Secret manifests: a regular expression sees only base64 under `data:`, so
 * this reads the YAML document line by line and decodes each value. Only documents
 * with a top-level `kind: Secret` line are read; finding that line is cheap because
 * the rule's keyword prefilter already points at the lines containing "secret".
 *
 * The reader walks lines with a cursor (no recursion, no per-document arrays of
 * lines, no spreading of results), so a manifest of any size costs one pass. Its
 * budgets bound the structured reading, never the scan: a document past
 * MAX_DOCUMENT_BYTES, or a Secret read after MAX_STRUCTURED_ENTRIES entries, is read
 * as plain text instead (every indented `key: value` line is a candidate, decoded
 * when it is base64), and the regex rules see every byte whatever this reader does.
 */

export interface StructuredCandidate {
  /** the decoded value (`data:`) or the value itself (`stringData:`) */
  secret: string;
  /** offset of the value in the text */
  secretStart: number;
  /** the whole entry, for line ranges and the inline marker */
  matchStart: number;
  matchEnd: number;
}

/** A Secret document larger than this is not read structurally (a real one is a few KiB). */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Entries read structurally in one text; the rest of the text's Secrets are read as plain text. */
export const MAX_STRUCTURED_ENTRIES = 50_000;

const KIND_SECRET = /^kind:[ \t]*(["']?)Secret\1[ \t]*(?:#.*)?$/;
/** Entries whose values are not credentials even inside a Secret. */
const NON_SECRET_KEYS = /^(?:user(?:name)?|host(?:name)?|port|namespace|database|db(?:name)?|ca\.crt|tls\.crt|service-ca\.crt)$/i;
const ENTRY = /^ +(["']?)([\w.-]+)\1:[ \t]*(.*)$/;

/**
 * @param lineStarts offsets of lines that contain a keyword of the rule (any order);
 *   the detector reads only documents holding one of them.
 * @param limit at most this many candidates are returned (the detector's bound per rule)
 * @param worth the rule's cheap verdict on a value (its entropy floor): values it would
 *   reject do not count toward `limit`, so padding a manifest with a hundred thousand
 *   `k: YWJj` entries cannot push a real value past the bound
 */
export function findKubernetesSecrets(
  text: TextLike,
  lineStarts: Iterable<number>,
  limit = Infinity,
  worth: (value: string) => boolean = () => true,
): StructuredCandidate[] {
  const seen = new Set<number>();
  const into: Collector = { out: [], limit, worth, entries: MAX_STRUCTURED_ENTRIES };
  for (const start of lineStarts) {
    if (into.out.length >= limit) break;
    const end = lineEndAt(text, start);
    if (!KIND_SECRET.test(text.slice(start, end).replace(/\r$/, ''))) continue;
    const doc = documentAround(text, start);
    if (seen.has(doc.start)) continue;
    seen.add(doc.start);
    if (doc.end - doc.start > MAX_DOCUMENT_BYTES || into.entries <= 0) readPlain(text, doc.start, doc.end, into);
    else readDocument(text, doc.start, doc.end, into);
  }
  return into.out;
}

interface Collector {
  out: StructuredCandidate[];
  limit: number;
  worth: (value: string) => boolean;
  /** structured entries left in the budget */
  entries: number;
}


function lineEndAt(text: TextLike, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl;
}

/** The YAML document (between `---` separators) containing offset `at`. */
function documentAround(text: TextLike, at: number): { start: number; end: number } {
  const before = text.lastIndexOf('\n---', at);
  let start = 0;
  if (before !== -1 && before < at) start = lineEndAt(text, before + 1) + 1;
  else if (text.startsWith('---') && at > 0) start = lineEndAt(text, 0) + 1;
  const after = text.indexOf('\n---', at);
  const end = after === -1 ? text.length : after;
  return { start: Math.min(start, at), end };
}

/** A cursor over the lines of [start, end): one line in hand, the next on demand. */
class Lines {
  start = 0;
  end = 0;
  text = '';
  private next: number;

  constructor(
    private readonly source: TextLike,
    from: number,
    private readonly limit: number,
  ) {
    this.next = from;
  }

  advance(): boolean {
    if (this.next >= this.limit) return false;
    this.start = this.next;
    this.end = Math.min(lineEndAt(this.source, this.start), this.limit);
    this.text = this.source.slice(this.start, this.end).replace(/\r$/, '');
    this.next = this.end + 1;
    return true;
  }

  /** Puts the cursor back so that the next advance() reads the line starting at `at`. */
  rewind(at: number): void {
    this.next = at;
  }
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return i;
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(?:#.*)?$/.test(line);
}

function readDocument(text: TextLike, start: number, end: number, into: Collector): void {
  const lines = new Lines(text, start, end);
  let section: 'data' | 'stringData' | undefined;
  let entryIndent = -1;
  while (into.out.length < into.limit && lines.advance()) {
    if (isBlankOrComment(lines.text)) continue;
    const indent = indentOf(lines.text);
    if (indent === 0) {
      const top = /^(data|stringData):[ \t]*(?:#.*)?$/.exec(lines.text);
      section = top ? (top[1] as 'data' | 'stringData') : undefined;
      entryIndent = -1;
      continue;
    }
    if (section === undefined) continue;
    if (entryIndent === -1) entryIndent = indent;
    if (indent !== entryIndent) continue;
    const entry = ENTRY.exec(lines.text);
    if (!entry) continue;
    if (--into.entries < 0) {
      // past the budget: the rest of this document is read as plain text
      readPlain(text, lines.start, end, into);
      return;
    }
    const key = entry[2]!;
    const lineStart = lines.start;
    let raw = entry[3]!.replace(/[ \t]+#.*$/, '').trimEnd();
    let valueStart = lineStart + lines.text.length - entry[3]!.length;
    let matchEnd = lines.end;
    if (/^[|>][+-]?\d*$/.test(raw)) {
      // Block scalar: the value is the following, more indented, lines.
      const parts: string[] = [];
      let first = -1;
      let lastEnd = -1;
      let after = -1;
      while (lines.advance()) {
        if (!isBlankOrComment(lines.text) && indentOf(lines.text) <= indent) {
          after = lines.start;
          break;
        }
        if (lines.text.trim() !== '') {
          if (first === -1) first = lines.start + indentOf(lines.text);
          parts.push(lines.text.trim());
        }
        lastEnd = lines.end;
      }
      // the line that ended the block is the next entry's (or the next section's)
      if (after !== -1) lines.rewind(after);
      if (first === -1) continue;
      valueStart = first;
      matchEnd = lastEnd;
      raw = parts.join(raw.startsWith('|') && section === 'stringData' ? '\n' : '');
    } else {
      const quoted = /^(["'])(.*)\1$/.exec(raw);
      if (quoted) {
        raw = quoted[2]!;
        valueStart += 1;
      }
    }
    if (raw === '' || NON_SECRET_KEYS.test(key)) continue;
    const value = section === 'data' ? decodeData(raw) : raw;
    if (value === undefined || isPublicCertificate(value) || !into.worth(value)) continue;
    into.out.push({ secret: value, secretStart: valueStart, matchStart: lineStart, matchEnd });
  }
}

/**
 * Past a budget: no sections, no block scalars, one line at a time. An indented
 * `key: value` line whose value is base64 is a candidate as decoded (what `data:`
 * holds); other values are left to the regex rules, which read the text anyway.
 */
function readPlain(text: TextLike, start: number, end: number, into: Collector): void {
  const lines = new Lines(text, start, end);
  while (into.out.length < into.limit && lines.advance()) {
    const entry = ENTRY.exec(lines.text);
    if (!entry || NON_SECRET_KEYS.test(entry[2]!)) continue;
    let raw = entry[3]!.replace(/[ \t]+#.*$/, '').trimEnd();
    let valueStart = lines.start + lines.text.length - entry[3]!.length;
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    if (quoted) {
      raw = quoted[2]!;
      valueStart += 1;
    }
    if (raw === '') continue;
    const value = decodeData(raw);
    if (value === undefined || isPublicCertificate(value) || !into.worth(value)) continue;
    into.out.push({ secret: value, secretStart: valueStart, matchStart: lines.start, matchEnd: lines.end });
  }
}

/** `data:` values are base64; a value that is not (a template, say) is not decoded data. */
function decodeData(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  const binary = decodeBase64Url(compact);
  if (binary === undefined || binary === '') return undefined;
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/\r?\n$/, '');
  } catch {
    // Binary data (a keystore, say): its Latin-1 reading keeps the entropy measurable.
    return binary;
  }
}

function isPublicCertificate(value: string): boolean {
  return value.includes('-----BEGIN CERTIFICATE-----') && !value.includes('PRIVATE KEY');
}
