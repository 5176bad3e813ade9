import type { TextLike } from './text.js';
import { decodeBase64Url } from './checksum.js';

/**
 * Kubernetes Secret manifests: a regular expression sees only base64 under `data:`, so
 * this reads the YAML document line by line and decodes each value. Only documents
 * with a top-level `kind: Secret` line are read; finding that line is cheap because
 * the rule's keyword prefilter already points at the lines containing "secret".
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

const KIND_SECRET = /^kind:[ \t]*(["']?)Secret\1[ \t]*(?:#.*)?$/;
/** Entries whose values are not credentials even inside a Secret. */
const NON_SECRET_KEYS = /^(?:user(?:name)?|host(?:name)?|port|namespace|database|db(?:name)?|ca\.crt|tls\.crt|service-ca\.crt)$/i;

interface Line {
  start: number;
  end: number;
  text: string;
}

/**
 * @param lineStarts offsets of lines that contain a keyword of the rule (any order);
 *   the detector reads only documents holding one of them.
 */
export function findKubernetesSecrets(text: TextLike, lineStarts: Iterable<number>): StructuredCandidate[] {
  const seen = new Set<number>();
  const out: StructuredCandidate[] = [];
  for (const start of lineStarts) {
    const end = lineEndAt(text, start);
    if (!KIND_SECRET.test(text.slice(start, end).replace(/\r$/, ''))) continue;
    const doc = documentAround(text, start);
    if (seen.has(doc.start)) continue;
    seen.add(doc.start);
    out.push(...readDocument(text, doc.start, doc.end));
  }
  return out;
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

function* linesOf(text: TextLike, start: number, end: number): Generator<Line> {
  let s = start;
  while (s < end) {
    const e = Math.min(lineEndAt(text, s), end);
    yield { start: s, end: e, text: text.slice(s, e).replace(/\r$/, '') };
    s = e + 1;
  }
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function isBlankOrComment(line: string): boolean {
  return /^\s*(?:#.*)?$/.test(line);
}

function readDocument(text: TextLike, start: number, end: number): StructuredCandidate[] {
  const lines = [...linesOf(text, start, end)];
  const out: StructuredCandidate[] = [];
  let section: 'data' | 'stringData' | undefined;
  let entryIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankOrComment(line.text)) continue;
    const indent = indentOf(line.text);
    if (indent === 0) {
      const top = /^(data|stringData):[ \t]*(?:#.*)?$/.exec(line.text);
      section = top ? (top[1] as 'data' | 'stringData') : undefined;
      entryIndent = -1;
      continue;
    }
    if (section === undefined) continue;
    if (entryIndent === -1) entryIndent = indent;
    if (indent !== entryIndent) continue;
    const entry = /^ +(["']?)([\w.-]+)\1:[ \t]*(.*)$/.exec(line.text);
    if (!entry) continue;
    const key = entry[2]!;
    let raw = entry[3]!.replace(/[ \t]+#.*$/, '').trimEnd();
    let valueStart = line.start + line.text.length - entry[3]!.length;
    let matchEnd = line.end;
    if (/^[|>][+-]?\d*$/.test(raw)) {
      // Block scalar: the value is the following, more indented, lines.
      const parts: string[] = [];
      let j = i + 1;
      let first = -1;
      while (j < lines.length && (isBlankOrComment(lines[j]!.text) || indentOf(lines[j]!.text) > indent)) {
        if (lines[j]!.text.trim() !== '') {
          if (first === -1) first = j;
          parts.push(lines[j]!.text.trim());
        }
        j++;
      }
      if (first === -1) continue;
      valueStart = lines[first]!.start + indentOf(lines[first]!.text);
      matchEnd = lines[j - 1]!.end;
      raw = parts.join(raw.startsWith('|') && section === 'stringData' ? '\n' : '');
      i = j - 1;
    } else {
      const quoted = /^(["'])(.*)\1$/.exec(raw);
      if (quoted) {
        raw = quoted[2]!;
        valueStart += 1;
      }
    }
    if (raw === '' || NON_SECRET_KEYS.test(key)) continue;
    const value = section === 'data' ? decodeData(raw) : raw;
    if (value === undefined || isPublicCertificate(value)) continue;
    out.push({ secret: value, secretStart: valueStart, matchStart: line.start, matchEnd });
  }
  return out;
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
