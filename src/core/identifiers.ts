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

export function findIdentifiers(text: string, identifiers: readonly Identifier[]): IdentifierHit[] {
  if (identifiers.length === 0) return [];
  const normalized = text.normalize('NFC');
  const hits: IdentifierHit[] = [];
  for (const identifier of identifiers) {
    identifier.pattern.lastIndex = 0;
    const match = identifier.pattern.exec(normalized);
    if (match) hits.push({ label: identifier.label, ...position(normalized, match.index) });
  }
  return hits;
}

function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
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
