/** Why a user regex cannot be compiled, or undefined. */
export function regexProblem(source: string): string | undefined {
  if (/\(\?[imsx]+[:)]/.test(source)) {
    return 'inline flags such as "(?i)" are not supported by JavaScript regexes: remove them and set ignoreCase: true';
  }
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

/** How many capture groups a valid regex has. */
export function groupCount(source: string): number {
  return new RegExp(`${source}|`).exec('')!.length - 1;
}

export interface BacktrackVerdict {
  source: string;
  problem?: string;
}

/** A user regex as the guard will run it. */
export interface RegexUse {
  source: string;
  /** the flags it runs with: `ignoreCase` turns `(a|A)*b` into `(a|a)*b` */
  flags?: string;
  /**
   * It runs over whole files (a rule's regex), not over one short value (an allowlist
   * regex sees a secret, a hold pattern a message): there even quadratic time hangs
   * the guard (n = 200 000 characters is 10^10 steps), so degree 2 is refused too.
   */
  wholeText?: boolean;
}

/**
 * A regex that backtracks exponentially or polynomially (nested unbounded
 * quantifiers, overlapping alternatives under a quantifier, or for a rule's regex
 * any unbounded repeat that can be retried from every position) can hang the hook
 * on one crafted file, and a hook that hangs gets disabled. The check is static:
 * recheck proves each pattern's worst case before the policy is accepted, so the
 * guard never needs a timeout and never stops a scan halfway. Every shipped rule
 * passes the strict form (its repeats are bounded, `{0,40}` rather than `*`).
 * recheck is loaded lazily: it is only needed when a policy changes.
 */
export async function catastrophicBacktracking(uses: readonly (string | RegexUse)[]): Promise<BacktrackVerdict[]> {
  if (uses.length === 0) return [];
  const { check } = await import('recheck');
  const verdicts: BacktrackVerdict[] = [];
  for (const use of uses) {
    const { source, flags = '', wholeText = false } = typeof use === 'string' ? { source: use } : use;
    // maxRepeatCount lets the automaton checker prove bounded repeats ({20,120}) safe instead of
    // handing them to the fuzzer, which is slow and reports false polynomial blow-ups for them
    const result = await check(source, flags.replace(/[gdy]/g, ''), { timeout: 5_000, maxRepeatCount: 1_000 });
    if (result.status === 'vulnerable') {
      const complexity = result.complexity;
      if (complexity.type === 'exponential') {
        verdicts.push({ source, problem: 'can backtrack catastrophically (exponential time on some inputs)' + attack(result) });
        continue;
      }
      if (complexity.type === 'polynomial' && complexity.degree >= (wholeText ? 2 : 3)) {
        const hint = complexity.degree === 2 ? '; bound its repeats ({0,64} instead of * or +), as the shipped rules do' : '';
        verdicts.push({ source, problem: `can backtrack catastrophically (time grows as n^${complexity.degree})` + attack(result) + hint });
        continue;
      }
    } else if (result.status === 'unknown') {
      verdicts.push({ source, problem: `could not be proven safe from catastrophic backtracking (${result.error.kind}); simplify it` });
      continue;
    }
    verdicts.push({ source });
  }
  return verdicts;
}

function attack(result: { attack?: { pattern?: string } }): string {
  const pattern = result.attack?.pattern;
  return pattern ? `; for example on ${pattern.slice(0, 60)}` : '';
}
