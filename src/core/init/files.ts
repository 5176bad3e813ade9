import type { FileDecision } from './types.js';

/**
 * Every generated file starts with a marker line carrying a hash of the rest of
 * the file. On a re-run, a file whose body still matches its own marker was not
 * edited since mirror wrote it, so a newer template may replace it; any other
 * difference is the user's and is kept (unless --force).
 */
export const MARKER_PREFIX = '# Written by `mirror init`';
const MARKER = /^# Written by `mirror init` \(template ([0-9a-f]{16})\)/;

/** FNV-1a, 64 bits, over UTF-16 code units: a change detector, not a security hash. */
export function contentHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The marker line, a second comment line, then the body. */
export function withMarker(body: string): string {
  const note = '# Edit freely: a re-run of `mirror init` keeps a file you changed (--force replaces it).\n';
  const rest = note + body;
  return `${MARKER_PREFIX} (template ${contentHash(rest)}).\n${rest}`;
}

/** Whether a file still has exactly the body its marker was computed from. */
export function isPristine(existing: string): boolean {
  const newline = existing.indexOf('\n');
  if (newline === -1) return false;
  const match = MARKER.exec(existing.slice(0, newline));
  return match !== null && match[1] === contentHash(existing.slice(newline + 1));
}

/** What to do with one generated file, given what is on disk. */
export function decideFile(existing: string | undefined, desired: string, options: { force: boolean }): FileDecision {
  if (existing === undefined) return { action: 'create' };
  if (normalizeEol(existing) === desired) return { action: 'unchanged' };
  if (options.force) return { action: 'update', reason: 'force' };
  if (isPristine(normalizeEol(existing))) return { action: 'update', reason: 'template' };
  return { action: 'keep' };
}

/** A checkout with CRLF line endings (core.autocrlf on Windows) holds the same file. */
function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n');
}
