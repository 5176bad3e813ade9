import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorError } from '../errors.js';
import { defaultPolicyFile, packageRoot, policySchemaFile, repositoryPolicyPath } from '../paths.js';
import type { CompiledPolicy } from './compiled.js';
import type { PolicySource } from './types.js';

export interface LoadedPolicy {
  compiled: CompiledPolicy;
  /** the files that made it, default first */
  sources: string[];
  fromCache: boolean;
}

export function readDefaultPolicy(): PolicySource {
  return { file: defaultPolicyFile, text: readFileSync(defaultPolicyFile, 'utf8') };
}

/** The repository's own policy: `--policy FILE`, else `.mirror/policy.yml` when it exists. */
export function readRepositoryPolicy(root: string | undefined, explicit?: string): PolicySource | undefined {
  const file = explicit ?? (root ? join(root, repositoryPolicyPath) : undefined);
  if (!file) return undefined;
  if (!existsSync(file)) {
    if (explicit) throw new MirrorError('policy-not-found', `policy file not found: ${explicit}`);
    return undefined;
  }
  return { file, text: readFileSync(file, 'utf8') };
}

const CACHE_FILE = 'policy-cache.json';
const REMEMBERED_FILE = 'remembered-policy.yml';

/**
 * `.mirror/` never goes upstream, so a branch started from `upstream/main` has no
 * policy in its work tree. Falling back to the default would silently drop the
 * mirror's own zones, rules and identifiers right where pushes go public, so the
 * guard keeps the last repository policy it saw in this clone and uses that instead.
 */
export function rememberPolicy(dir: string, own: PolicySource | undefined): PolicySource | undefined {
  const file = join(dir, REMEMBERED_FILE);
  let remembered: string | undefined;
  try {
    remembered = readFileSync(file, 'utf8');
  } catch {
    // nothing remembered yet
  }
  if (!own) return remembered === undefined ? undefined : { file, text: remembered };
  if (remembered !== own.text) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${file}.${process.pid}`, own.text);
      renameSync(`${file}.${process.pid}`, file);
    } catch {
      // remembering is a convenience; the policy in hand is still applied
    }
  }
  return own;
}

/**
 * Compiling a policy means YAML, ajv, minimatch and (for user regexes) recheck:
 * far too slow for every push. The compiled result is cached under the git
 * directory, keyed by everything it was made from, so a stale cache is impossible.
 */
export async function loadPolicy(options: {
  repository?: PolicySource;
  cacheDir?: string;
  defaults?: PolicySource;
}): Promise<LoadedPolicy> {
  const defaults = options.defaults ?? readDefaultPolicy();
  const sources = [defaults.file, ...(options.repository ? [options.repository.file] : [])];
  const key = cacheKey(defaults, options.repository);
  const cached = options.cacheDir ? readCache(options.cacheDir, key) : undefined;
  if (cached) return { compiled: cached, sources, fromCache: true };

  const { resolvePolicy } = await import('./resolve.js');
  const result = await resolvePolicy(defaults, options.repository);
  if (!result.ok) {
    throw new MirrorError('policy-invalid', 'the policy is invalid', {
      details: result.errors,
      suggestions: ['fix the fields listed above, then run `mirror policy check`'],
    });
  }
  if (options.cacheDir) writeCache(options.cacheDir, key, result.compiled);
  return { compiled: result.compiled, sources, fromCache: false };
}

function cacheKey(defaults: PolicySource, repository: PolicySource | undefined): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(packageRoot, 'package.json')));
  hash.update('\0');
  hash.update(readFileSync(policySchemaFile));
  // by content, not by file name: the compiled policy does not depend on where the text came from, and the
  // remembered copy of `.mirror/policy.yml` must not recompile on every switch between branches
  for (const source of [defaults, repository]) hash.update(`\0${source ? 'source' : 'none'}\0${source?.text ?? ''}`);
  return hash.digest('hex');
}

function readCache(dir: string, key: string): CompiledPolicy | undefined {
  try {
    const entry = JSON.parse(readFileSync(join(dir, CACHE_FILE), 'utf8')) as { key: string; compiled: CompiledPolicy };
    return entry.key === key && entry.compiled?.format === 3 ? entry.compiled : undefined;
  } catch {
    // missing or damaged: recompile
    return undefined;
  }
}

function writeCache(dir: string, key: string, compiled: CompiledPolicy): void {
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${CACHE_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify({ key, compiled }));
    renameSync(tmp, join(dir, CACHE_FILE));
  } catch {
    // a read-only git directory only costs speed
  }
}
