import { join } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { redactUrl } from '../../core/remotes.js';
import type { ErrorDetail } from '../../errors.js';
import { loadIdentifiers } from '../../policy/identifiers.js';
import { readDefaultPolicy, readRepositoryPolicy, rememberPolicy } from '../../policy/load.js';
import { resolvePolicy } from '../../policy/resolve.js';
import { classifyTarget } from '../remote-class.js';

export interface PolicyExplanation {
  valid: boolean;
  files: string[];
  errors: ErrorDetail[];
  effective?: {
    zones: { name: string; include: string[]; exclude: string[] }[];
    remotes: { name: string; url?: string; class: string; reason: string }[];
    remoteEntries: { private: string[]; public: string[] };
    rules: { total: number; byTag: Record<string, number> };
    allowlist: { paths: number; regexes: number; stopwords: number };
    ignores: { fingerprint: string; reason: string }[];
    identifiers: { sources: string[]; loaded: number };
    limits: { maxFileBytes: number; oversize: string };
    sync: { upstreamRemote: string; mirrorRemote: string; branch: string };
  };
}

/** Validates the policy (errors as data) and explains what is in force. */
export async function explainPolicy(request: { cwd: string; policyFile?: string; env?: NodeJS.ProcessEnv }): Promise<PolicyExplanation> {
  const repo = await Repository.open(request.cwd).catch(() => undefined);
  const defaults = readDefaultPolicy();
  const own = readRepositoryPolicy(repo?.info.root, request.policyFile);
  // what the guard applies: without a work-tree policy, the one it remembers
  const repository = repo && !request.policyFile ? rememberPolicy(join(repo.info.commonDir, 'mirror'), own) : own;
  const files = [defaults.file, ...(repository ? [repository.file] : [])];
  const result = await resolvePolicy(defaults, repository);
  if (!result.ok) return { valid: false, files, errors: result.errors };

  const { effective, compiled } = result;
  const byTag: Record<string, number> = {};
  for (const rule of effective.rules) for (const tag of rule.tags?.length ? rule.tags : ['untagged']) byTag[tag] = (byTag[tag] ?? 0) + 1;
  const remotes = [];
  for (const name of repo ? await repo.remotes() : []) {
    const url = await repo!.pushUrl(name);
    const verdict = await classifyTarget(compiled.remotes, repo!, name);
    remotes.push({ name, url: url && redactUrl(url), class: verdict.class, reason: verdict.reason });
  }
  const env = request.env ?? process.env;
  const identifiers = loadIdentifiers(effective.identifiers, { env, repositoryRoot: repo?.info.root });
  return {
    valid: true,
    files,
    errors: [],
    effective: {
      zones: effective.zones.map((zone) => ({ name: zone.name, include: zone.include, exclude: zone.exclude ?? [] })),
      remotes,
      remoteEntries: effective.remotes,
      rules: { total: effective.rules.length, byTag },
      allowlist: {
        paths: effective.allowlist.paths.length,
        regexes: effective.allowlist.regexes.length,
        stopwords: effective.allowlist.stopwords.length,
      },
      ignores: effective.ignores.map(({ fingerprint, reason }) => ({ fingerprint, reason })),
      identifiers: {
        sources: [effective.identifiers.file, effective.identifiers.env && `$${effective.identifiers.env}`].filter((x): x is string => Boolean(x)),
        loaded: identifiers.length,
      },
      limits: effective.limits,
      sync: { upstreamRemote: effective.sync.upstreamRemote, mirrorRemote: effective.sync.mirrorRemote, branch: effective.sync.branch },
    },
  };
}
