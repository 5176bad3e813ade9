import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { compileIdentifier, type Identifier } from '../core/identifiers.js';
import { MirrorError } from '../errors.js';

/**
 * Reads the denylist from a file outside the repository and from an environment
 * variable. Entries are `label=term` or a bare term (labelled by position), one
 * per line; the variable also accepts `;` between entries.
 */
export function loadIdentifiers(
  spec: { file?: string; env?: string },
  context: { env: NodeJS.ProcessEnv; repositoryRoot?: string },
): Identifier[] {
  const entries: string[] = [];
  if (spec.file) {
    const file = spec.file.startsWith('~/') ? join(context.env.HOME ?? homedir(), spec.file.slice(2)) : resolve(spec.file);
    if (context.repositoryRoot && isInside(context.repositoryRoot, file)) {
      throw new MirrorError('identifiers-inside-repository', 'the private-identifier list must live outside the repository', {
        suggestions: [`move it out of the repository and point identifiers.file at it (now: ${spec.file})`],
      });
    }
    if (existsSync(file)) entries.push(...readFileSync(file, 'utf8').split('\n'));
  }
  if (spec.env && context.env[spec.env]) entries.push(...context.env[spec.env]!.split(/[;\n]/));
  const identifiers: Identifier[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    const separator = entry.indexOf('=');
    const label = separator > 0 ? entry.slice(0, separator).trim() : `identifier #${identifiers.length + 1}`;
    const term = separator > 0 ? entry.slice(separator + 1).trim() : entry;
    if (term.length >= 2) identifiers.push(compileIdentifier(label, term));
  }
  return identifiers;
}

function isInside(root: string, file: string): boolean {
  const rel = relative(resolve(root), file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
