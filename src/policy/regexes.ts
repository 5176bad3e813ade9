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

/**
 * A regex that backtracks exponentially (or polynomially of degree 3 and more) can
 * hang the hook on one crafted line, and a hook that hangs gets disabled. recheck
 * is loaded lazily: it is only needed when a policy changes.
 */
export async function catastrophicBacktracking(sources: readonly string[]): Promise<BacktrackVerdict[]> {
  if (sources.length === 0) return [];
  const { check } = await import('recheck');
  const verdicts: BacktrackVerdict[] = [];
  for (const source of sources) {
    // maxRepeatCount lets the automaton checker prove bounded repeats ({20,120}) safe instead of
    // handing them to the fuzzer, which is slow and reports false polynomial blow-ups for them
    const result = await check(source, '', { timeout: 5_000, maxRepeatCount: 1_000 });
    if (result.status === 'vulnerable') {
      const complexity = result.complexity;
      if (complexity.type === 'exponential') {
        verdicts.push({ source, problem: 'can backtrack catastrophically (exponential time on some inputs)' + attack(result) });
        continue;
      }
      if (complexity.type === 'polynomial' && complexity.degree >= 3) {
        verdicts.push({ source, problem: `can backtrack catastrophically (time grows as n^${complexity.degree})` + attack(result) });
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
