/**
 * Just enough of the Actions expression language to find evidence: which secrets an
 * expression reads, and which string literals it could evaluate to. Context names are
 * case-insensitive in Actions, so is the matching here.
 */

/** The automatic token under every name GitHub, Gitea and Forgejo give it. */
const AUTOMATIC_TOKENS = new Set(['GITHUB_TOKEN', 'GITEA_TOKEN', 'FORGEJO_TOKEN']);

export function isAutomaticToken(name: string): boolean {
  return AUTOMATIC_TOKENS.has(name.toUpperCase());
}

/** The bodies of every `${{ … }}` in a string. */
export function expressionsIn(text: string): string[] {
  const bodies: string[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start === -1) break;
    const end = findClose(text, start + 3);
    if (end === -1) {
      bodies.push(text.slice(start + 3));
      break;
    }
    bodies.push(text.slice(start + 3, end));
    from = end + 2;
  }
  return bodies;
}

/** The `}}` closing an expression, skipping string literals ('…' with '' escapes). */
function findClose(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "'") {
        if (text[i + 1] === "'") i++;
        else inString = false;
      }
    } else if (c === "'") inString = true;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

/** The string literals of an expression, e.g. the runner labels of `cond && 'a' || 'b'`. */
export function literalsIn(expression: string): string[] {
  return [...expression.matchAll(/'((?:[^']|'')*)'/g)].map((match) => match[1]!.replace(/''/g, "'"));
}

/**
 * An expression with the contents of its string literals blanked (same length, so
 * offsets still point into the original), so `'secrets.X'` is not a reference.
 */
function withoutLiterals(expression: string): string {
  return expression.replace(/'((?:[^']|'')*)'/g, (_match, inner: string) => `'${'\0'.repeat(inner.length)}'`);
}

export type SecretRef =
  | { type: 'named'; name: string }
  /** `secrets[expr]`: a name computed at run time */
  | { type: 'dynamic'; text: string }
  /** `toJSON(secrets)` or `secrets` on its own: every secret */
  | { type: 'all'; text: string };

/** Secrets an expression body reads, the automatic token excluded. */
export function secretRefs(expression: string): SecretRef[] {
  const refs: SecretRef[] = [];
  const code = withoutLiterals(expression);
  for (const match of code.matchAll(/(?<![\w.-])secrets\b(?:\s*\.\s*([A-Za-z_][\w-]*)|\s*\[\s*'(\0*)'\s*\]|\s*\[([^\]]*)\])?/gi)) {
    const original = expression.slice(match.index, match.index + match[0].length);
    if (match[1] !== undefined) refs.push({ type: 'named', name: match[1] });
    else if (match[2] !== undefined) {
      // secrets['NAME']: the literal, read from the original text
      refs.push({ type: 'named', name: /'((?:[^']|'')*)'/.exec(original)![1]!.replace(/''/g, "'") });
    } else if (match[3] !== undefined) refs.push({ type: 'dynamic', text: original.replace(/\s+/g, ' ') });
    else refs.push({ type: 'all', text: 'secrets' });
  }
  return refs.filter((ref) => ref.type !== 'named' || !isAutomaticToken(ref.name));
}

export function describeSecretRef(ref: SecretRef): string {
  switch (ref.type) {
    case 'named':
      return `secrets.${ref.name}`;
    case 'dynamic':
      return ref.text;
    case 'all':
      return 'all secrets (toJSON(secrets))';
  }
}

/**
 * Secrets read by a value: the `${{ }}` expressions in it, or the whole value for
 * fields that are expressions without the braces (`if:`).
 */
export function secretsInValue(value: string, isCondition = false): SecretRef[] {
  const bodies = isCondition && !value.includes('${{') ? [value] : expressionsIn(value);
  return bodies.flatMap(secretRefs);
}

/** A whole-value expression (`${{ matrix.os }}`), or undefined when the value is plain or mixed. */
export function wholeExpression(value: string): string | undefined {
  const match = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(value);
  if (!match) return undefined;
  return expressionsIn(value).length === 1 ? match[1]!.trim() : undefined;
}
