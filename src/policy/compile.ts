import { patternShape } from '../core/detect/detector.js';
import type { AllowlistSpec, CompiledAllowlist, CompiledRule, RuleSpec } from '../core/detect/types.js';
import { canonicalUrl, isUrlEntry, type RemoteEntry } from '../core/remotes.js';
import type { CompiledPolicy } from './compiled.js';
import { compileGlob } from './globs.js';
import { groupCount } from './regexes.js';
import type { EffectivePolicy } from './types.js';

export function compilePolicy(policy: EffectivePolicy): CompiledPolicy {
  return {
    format: 3,
    zones: policy.zones.map((zone) => ({
      name: zone.name,
      description: zone.description ?? '',
      include: zone.include.flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
      exclude: (zone.exclude ?? []).flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
    })),
    remotes: {
      private: policy.remotes.private.map(compileRemote),
      public: policy.remotes.public.map(compileRemote),
    },
    sync: {
      ...policy.sync,
      holdMessages: policy.sync.holdMessages.map((source) => ({ source, flags: 'm' })),
      hold: policy.sync.hold.flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
      allowWorkflows: policy.sync.allowWorkflows.flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
    },
    detection: {
      rules: policy.rules.map(compileRule),
      allowlist: compileAllowlist(policy.allowlist),
      ignores: policy.ignores.map(({ fingerprint, reason }) => ({ fingerprint, reason })),
      inlineMarker: policy.inlineMarker,
    },
    identifiers: policy.identifiers,
    limits: policy.limits,
    lanes: policy.lanes,
  };
}

function compileRemote(entry: string): RemoteEntry {
  if (!isUrlEntry(entry)) return { kind: 'name', value: entry };
  const [pattern] = compileGlob(canonicalUrl(entry));
  return { kind: 'url', value: entry, pattern: pattern! };
}

export function compileRule(rule: RuleSpec): CompiledRule {
  const compiled: CompiledRule = {
    id: rule.id,
    description: rule.description,
    secretGroup: rule.secretGroup ?? (rule.regex !== undefined && groupCount(rule.regex) > 0 ? 1 : 0),
    keywords: (rule.keywords ?? []).map((keyword) => keyword.toLowerCase()),
    allowlist: compileAllowlist(rule.allowlist ?? {}),
    tags: rule.tags ?? [],
  };
  if (rule.regex !== undefined) {
    compiled.pattern = { source: rule.regex, flags: rule.ignoreCase ? 'i' : '' };
    compiled.shape = patternShape(compiled.pattern, compiled.secretGroup);
  }
  if (rule.entropy !== undefined) compiled.entropy = rule.entropy;
  if (rule.checksum !== undefined) compiled.checksum = rule.checksum;
  if (rule.detector !== undefined) compiled.detector = rule.detector;
  if (rule.confidence !== undefined) compiled.confidence = rule.confidence;
  if (rule.lowValueInTests) compiled.lowValueInTests = true;
  return compiled;
}

export function compileAllowlist(spec: AllowlistSpec): CompiledAllowlist {
  return {
    paths: (spec.paths ?? []).flatMap(compileGlob),
    regexes: (spec.regexes ?? []).map((source) => ({ source, flags: '' })),
    stopwords: (spec.stopwords ?? []).map((word) => word.toLowerCase()),
  };
}
