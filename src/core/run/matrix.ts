import { parse } from 'yaml';
import type { InputProblem } from './types.js';

/**
 * A batch file: a YAML list of input sets, e.g.
 *   - { learning_rate: 0.1, dataset: sample }
 *   - { learning_rate: 0.01, dataset: full }
 * Values become strings, as a dispatch sends them (booleans as true/false).
 */
export function parseMatrix(text: string): { sets: Array<Record<string, string>>; problems: InputProblem[] } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { sets: [], problems: [{ field: 'matrix', message: `does not parse: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { runs?: unknown }).runs) ? (doc as { runs: unknown[] }).runs : undefined;
  if (!list) return { sets: [], problems: [{ field: 'matrix', message: 'must be a YAML list of input sets (mappings)' }] };
  const sets: Array<Record<string, string>> = [];
  const problems: InputProblem[] = [];
  list.forEach((item, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ field: `[${index}]`, message: 'is not a mapping of input names to values' });
      return;
    }
    const set: Record<string, string> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object') problems.push({ field: `[${index}].${key}`, message: 'must be a single value' });
      else set[key] = value === null || value === undefined ? '' : String(value);
    }
    sets.push(set);
  });
  if (list.length === 0) problems.push({ field: 'matrix', message: 'lists no input sets' });
  return { sets, problems };
}
