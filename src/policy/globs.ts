import { minimatch } from 'minimatch';
import type { RegexSource } from '../core/detect/types.js';

const options = { nocase: true, dot: true } as const;

/** Why a glob cannot be used, or undefined when it is fine. minimatch accepts almost anything, so we check. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() !== glob || glob === '') return 'a glob cannot be empty or start or end with spaces';
  if (glob.startsWith('/')) return 'globs are relative to the repository root: drop the leading "/"';
  if (glob.includes('//')) return 'a glob cannot contain an empty path segment ("//")';
  const unbalanced = unbalancedBracket(glob);
  if (unbalanced) return `unbalanced "${unbalanced}"`;
  const re = minimatch.makeRe(glob.normalize('NFC'), options);
  if (re === false || re.source === '^$.$') return 'this glob can never match a path';
  return undefined;
}

function unbalancedBracket(glob: string): string | undefined {
  let braces = 0;
  let inClass = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\') {
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '{') {
      braces++;
    } else if (ch === '}') {
      if (--braces < 0) return '}';
    }
  }
  if (inClass) return '[';
  return braces > 0 ? '{' : undefined;
}

/**
 * A directory glob (`private/**`) also covers the directory's own entry, which is
 * what a submodule or a symlink named `private` is.
 */
export function compileGlob(glob: string): RegexSource[] {
  const compiled = [glob];
  if (glob.endsWith('/**') && glob.length > 3) compiled.push(glob.slice(0, -3));
  return compiled.map((one) => {
    const re = minimatch.makeRe(one.normalize('NFC'), options);
    if (re === false) throw new Error(`invalid glob ${one}`);
    // `s`: a path may hold a newline (or U+2028), which `.` must match too
    return { source: re.source, flags: re.flags.includes('s') ? re.flags : `${re.flags}s` };
  });
}
