/**
 * The fixed text a rule's secret starts with (`ghp_`, `AKIA`, `-----BEGIN`): the
 * only part of a secret a report may show, since it is public (the token type) and
 * not the secret's own. A rule whose secret starts with anything variable (a
 * password assignment, a connection string) has none, and shows nothing.
 *
 * A small reading of the regex, erring towards "nothing fixed": any construct it
 * does not understand ends the prefix.
 */
export const MAX_REVEALED = 4;
/** alternations multiply: beyond this many prefixes, showing nothing is simpler */
const MAX_PREFIXES = 32;

interface Prefix {
  text: string;
  /** the next atom may still extend it */
  open: boolean;
}

/** Each fixed text the secret group can start with, at most MAX_REVEALED characters long; [] when none. */
export function literalPrefixes(source: string, secretGroup: number): string[] {
  const start = secretGroup === 0 ? 0 : groupStart(source, secretGroup);
  if (start === undefined) return [];
  const { prefixes } = sequence(source, start);
  return [...new Set(prefixes.map((prefix) => prefix.text).filter((text) => text !== ''))];
}

/** How many leading characters of `secret` are fixed text of its rule. */
export function revealable(secret: string, prefixes: readonly string[], ignoreCase: boolean): number {
  const head = ignoreCase ? secret.toLowerCase() : secret;
  let best = 0;
  for (const prefix of prefixes) if (prefix.length > best && head.startsWith(ignoreCase ? prefix.toLowerCase() : prefix)) best = prefix.length;
  return best;
}

/** Just inside the opening parenthesis of capture group `n`. */
function groupStart(source: string, n: number): number | undefined {
  let count = 0;
  for (let i = 0; i < source.length; i = source[i] === '\\' ? i + 2 : source[i] === '[' ? classEnd(source, i) : i + 1) {
    if (source[i] !== '(') continue;
    const capturing = source[i + 1] !== '?' || (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!');
    if (capturing && ++count === n) return source[i + 1] === '?' ? source.indexOf('>', i) + 1 : i + 1;
  }
  return undefined;
}

/** The prefixes of one alternative, read from `i` up to its `|` or `)`. */
function sequence(source: string, i: number): { prefixes: Prefix[]; end: number } {
  let prefixes: Prefix[] = [{ text: '', open: true }];
  const close = () => (prefixes = prefixes.map((prefix) => ({ ...prefix, open: false })));
  while (i < source.length && source[i] !== '|' && source[i] !== ')') {
    const atom = atomEnd(source, i);
    const end = quantifierEnd(source, atom);
    const char = source[i]!;
    const escaped = char === '\\' ? source[i + 1]! : undefined;
    if (end > atom) close();
    else if (char === '^' || escaped === 'b' || escaped === 'B' || /^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      // zero width: changes nothing
    } else if (char === '(' && groupBodyStart(source, i) === undefined) {
      // a group of a kind not read here (modifiers such as `(?i:`): nothing after it is taken as fixed
      close();
    } else if (char === '(') {
      const inner = groupBodyStart(source, i)!;
      const alternatives = alternation(source, inner);
      const next: Prefix[] = prefixes.filter((prefix) => !prefix.open);
      for (const prefix of prefixes.filter((p) => p.open)) for (const alt of alternatives) next.push({ text: (prefix.text + alt.text).slice(0, MAX_REVEALED), open: alt.open });
      prefixes = next;
      if (prefixes.length > MAX_PREFIXES) prefixes = [{ text: '', open: false }];
    } else if (escaped !== undefined ? !/[A-Za-z0-9]/.test(escaped) : !'.[$'.includes(char)) {
      const literal = escaped ?? char;
      prefixes = prefixes.map((prefix) => (prefix.open ? { ...prefix, text: (prefix.text + literal).slice(0, MAX_REVEALED) } : prefix));
    } else close();
    i = end;
  }
  return { prefixes, end: i };
}

/** The prefixes of every alternative of a group whose body starts at `i`. */
function alternation(source: string, i: number): Prefix[] {
  const out: Prefix[] = [];
  for (;;) {
    const { prefixes, end } = sequence(source, i);
    out.push(...prefixes);
    if (source[end] !== '|') return out;
    i = end + 1;
  }
}

function atomEnd(source: string, i: number): number {
  const char = source[i];
  if (char === '\\') {
    const next = source[i + 1];
    if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{') return source.indexOf('}', i) + 1;
    if (next === 'u') return i + 6;
    if (next === 'x') return i + 4;
    if (next === 'c') return i + 3;
    return i + 2;
  }
  if (char === '[') return classEnd(source, i);
  if (char === '(') {
    let depth = 0;
    for (let j = i; j < source.length; j = source[j] === '\\' ? j + 2 : source[j] === '[' ? classEnd(source, j) : j + 1) {
      if (source[j] === '(') depth++;
      else if (source[j] === ')' && --depth === 0) return j + 1;
    }
    return source.length;
  }
  return i + 1;
}

function classEnd(source: string, i: number): number {
  for (let j = i + 1; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === ']') return j + 1;
  }
  return source.length;
}

function quantifierEnd(source: string, i: number): number {
  const match = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i, i + 16));
  return match ? i + match[0].length : i;
}

/** Where a capturing, non-capturing or named group's body starts; undefined for any other `(?…` construct. */
function groupBodyStart(source: string, open: number): number | undefined {
  if (source[open + 1] !== '?') return open + 1;
  if (source[open + 2] === ':') return open + 3;
  if (source[open + 2] === '<' && /^[A-Za-z_$]/.test(source[open + 3] ?? '')) {
    const close = source.indexOf('>', open);
    return close === -1 ? undefined : close + 1;
  }
  return undefined;
}
