/**
 * Can a regular expression match a newline? A rule whose pattern cannot is run only
 * on the lines where its keywords occur, which is what keeps scanning fast; one that
 * can (a PEM block) runs on the whole text. The answer errs towards "yes": a wrong
 * "yes" costs speed, a wrong "no" would miss secrets.
 */
export function canSpanLines(source: string, flags: string): boolean {
  const dotAll = flags.includes('s');
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      if (escapeMatchesNewline(source.slice(i + 1, i + 7))) return true;
      i += 2;
    } else if (c === '[') {
      const end = classEnd(source, i);
      if (classMatchesNewline(source.slice(i + 1, end))) return true;
      i = end + 1;
    } else if ((c === '.' && dotAll) || c === '\n') {
      return true;
    } else {
      i++;
    }
  }
  return false;
}

/** `rest` starts with the character after a backslash. */
function escapeMatchesNewline(rest: string): boolean {
  return /^(?:[snWD]|cJ|cj|x0[aA]|u000[aA]|u\{0*[aA]\})/.test(rest);
}

/** Index of the `]` closing the class opened at `open`. */
function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i;
}

function classMatchesNewline(body: string): boolean {
  if (body.startsWith('^')) {
    // A negated class matches a newline unless it lists it (directly or as whitespace).
    return !/\\[sn]|\\x0[aA]|\\u000[aA]|\n/.test(body);
  }
  if (/\\[snWD]|\\x0[aA]|\\u000[aA]|\\cJ|\n/.test(body)) return true;
  // A range that may run across U+000A, written with escapes or control characters.
  return /(?:\\x0[0-9a-fA-F]|\\u000[0-9a-fA-F]|\\0|\\c[A-J]|[\x00-\x09])-/.test(body);
}
