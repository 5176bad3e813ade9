/**
 * Private identifiers (customer names, internal hosts) are matched like secrets but
 * reported only by their label: the term itself is as sensitive as the leak.
 */
export interface Identifier {
  label: string;
  pattern: RegExp;
}

export interface IdentifierHit {
  label: string;
  line: number;
  column: number;
}

export function compileIdentifier(label: string, term: string): Identifier {
  const body = term
    .normalize('NFC')
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('[\\s_-]+');
  // word boundaries that understand letters beyond ASCII
  return { label, pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu') };
}

/**
 * Every line where an identifier occurs (the first occurrence on each line): a
 * caller keeps only hits on added lines, so the first hit in a file is not enough.
 */
export function findIdentifiers(text: string, identifiers: readonly Identifier[]): IdentifierHit[] {
  if (identifiers.length === 0) return [];
  const normalized = text.normalize('NFC');
  const hits: IdentifierHit[] = [];
  for (const identifier of identifiers) {
    const pattern = identifier.pattern;
    pattern.lastIndex = 0;
    let line = 1;
    let lineStart = 0;
    let scanned = 0;
    for (let match = pattern.exec(normalized); match; match = pattern.exec(normalized)) {
      for (let i = normalized.indexOf('\n', scanned); i !== -1 && i < match.index; i = normalized.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
      }
      scanned = match.index;
      hits.push({ label: identifier.label, line, column: match.index - lineStart + 1 });
      // on to the next line: one hit per line and identifier is enough to act on
      const next = normalized.indexOf('\n', match.index + Math.max(1, match[0].length));
      if (next === -1) break;
      pattern.lastIndex = next;
    }
    pattern.lastIndex = 0;
  }
  return hits;
}

/** Replaces each identifier with its label, so a path or name can be printed. */
export function redactIdentifiers(text: string, identifiers: readonly Identifier[]): string {
  let out = text.normalize('NFC');
  for (const identifier of identifiers) {
    identifier.pattern.lastIndex = 0;
    out = out.replace(identifier.pattern, `[${identifier.label}]`);
  }
  return out;
}
