import { join } from 'node:path';
import type { Repository } from '../../adapters/git/repository.js';
import { createDetector, type Confidence } from '../../core/detect/index.js';
import type { Identifier } from '../../core/identifiers.js';
import type { RemoteClass } from '../../core/remotes.js';
import { createZoneMatcher } from '../../core/zones.js';
import type { CompiledPolicy } from '../../policy/compiled.js';
import { loadIdentifiers } from '../../policy/identifiers.js';
import { loadPolicy, readRepositoryPolicy, rememberPolicy } from '../../policy/load.js';
import type { PolicySource } from '../../policy/types.js';
import type { Checks } from './checks.js';
import { readBaselineFingerprints } from '../baseline/file.js';

export interface GuardOptions {
  /** `--policy FILE` instead of the repository's `.mirror/policy.yml` */
  policyFile?: string;
  /** the repository policy's text from elsewhere (a trusted commit) instead of the work tree */
  repositoryPolicy?: PolicySource;
  env?: NodeJS.ProcessEnv;
  /** findings below it warn instead of refusing (default `medium`) */
  minConfidence?: Confidence;
}

export interface Prepared {
  policy: CompiledPolicy;
  policyFiles: string[];
  /** loaded even toward private remotes, so printed paths can always be redacted */
  identifiers: Identifier[];
  minConfidence: Confidence;
  /** fingerprints of `.mirror/baseline.json`, when the repository has one */
  baseline?: ReadonlySet<string>;
}

export async function preparePolicy(repo: Repository | undefined, options: GuardOptions, root = repo?.info.root): Promise<Prepared> {
  const env = options.env ?? process.env;
  const own = options.repositoryPolicy ?? readRepositoryPolicy(root, options.policyFile);
  const explicit = options.repositoryPolicy !== undefined || options.policyFile !== undefined;
  const loaded = await loadPolicy({
    repository: repo && !explicit ? rememberPolicy(join(repo.info.commonDir, 'mirror'), own) : own,
    cacheDir: repo ? join(repo.info.commonDir, 'mirror') : undefined,
  });
  const identifiers = loadIdentifiers(loaded.compiled.identifiers, { env, repositoryRoot: root });
  const baseline = root !== undefined ? readBaselineFingerprints(root) : undefined;
  return { policy: loaded.compiled, policyFiles: loaded.sources, identifiers, minConfidence: options.minConfidence ?? 'medium', ...(baseline ? { baseline } : {}) };
}

/** The checks for one remote class: secrets always, zones and identifiers toward public. */
export function checksFor(prepared: Prepared, remoteClass: RemoteClass): Checks {
  const isPublic = remoteClass === 'public';
  return {
    scanner: createDetector(prepared.policy.detection),
    inZone: isPublic ? createZoneMatcher(prepared.policy.zones) : undefined,
    identifiers: isPublic ? prepared.identifiers : [],
    redaction: prepared.identifiers,
    limits: prepared.policy.limits,
    policy: prepared.policyFiles,
    findings: { minConfidence: prepared.minConfidence, baseline: prepared.baseline },
  };
}
