import type { AllowlistSpec } from '../core/detect/types.js';
import type { ErrorDetail } from '../errors.js';
import { fieldName } from './fields.js';
import type { ParsedPolicy } from './parse.js';
import type { AllowlistEdit, Edit, EffectivePolicy, PolicyLayer } from './types.js';

/** The shipped default must spell everything out: it is the base every layer edits. */
export function baseFromDefault(layer: PolicyLayer): EffectivePolicy {
  const asList = <T>(value: T[] | Edit<T, string> | undefined): T[] => (Array.isArray(value) ? value : []);
  const allowlist = (layer.allowlist ?? {}) as AllowlistSpec;
  return {
    zones: asList(layer.zones),
    remotes: { private: layer.remotes?.private ?? [], public: layer.remotes?.public ?? [] },
    sync: {
      upstreamRemote: layer.sync?.upstreamRemote ?? 'upstream',
      mirrorRemote: layer.sync?.mirrorRemote ?? 'origin',
      branch: layer.sync?.branch ?? 'main',
      privateTrailers: layer.sync?.privateTrailers ?? [],
      holdMessages: layer.sync?.holdMessages ?? [],
      hold: Array.isArray(layer.sync?.hold) ? layer.sync.hold : [],
      allowWorkflows: layer.sync?.allowWorkflows ?? [],
    },
    allowlist: {
      description: allowlist.description,
      paths: allowlist.paths ?? [],
      regexes: allowlist.regexes ?? [],
      stopwords: allowlist.stopwords ?? [],
    },
    ignores: asList(layer.ignores),
    inlineMarker: layer.inlineMarker ?? 'mirror:allow',
    identifiers: { ...layer.identifiers },
    limits: { maxFileBytes: layer.limits?.maxFileBytes ?? 5 * 1024 * 1024, oversize: layer.limits?.oversize ?? 'warn' },
    lanes: { ...layer.lanes, hardwareLabels: layer.lanes?.hardwareLabels ?? [], placementLabels: layer.lanes?.placementLabels ?? [] },
    rules: asList(layer.rules),
  };
}

/**
 * Applies a repository layer: a list replaces, `{ add, remove }` edits, a scalar
 * overrides. Removing something that is not there is an error, because it is
 * almost always a typo that leaves a rule or zone active.
 */
export function applyLayer(
  base: EffectivePolicy,
  layer: PolicyLayer,
  parsed: ParsedPolicy,
): { policy: EffectivePolicy; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const unknown = (path: (string | number)[], what: string, name: string, known: string[]) =>
    errors.push({
      file: parsed.source.file,
      ...parsed.locate(path),
      field: fieldName(path),
      message: `cannot remove ${what} "${name}": it is not in the policy being extended` +
        (known.length ? ` (known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''})` : ''),
    });

  const policy: EffectivePolicy = {
    ...base,
    zones: edit(base.zones, layer.zones, (zone) => zone.name, (i, name) =>
      unknown(['zones', 'remove', i], 'zone', name, base.zones.map((zone) => zone.name))),
    rules: edit(base.rules, layer.rules, (rule) => rule.id, (i, id) =>
      unknown(['rules', 'remove', i], 'rule', id, base.rules.map((rule) => rule.id))),
    ignores: edit(base.ignores, layer.ignores, (ignore) => ignore.fingerprint, (i, fp) =>
      unknown(['ignores', 'remove', i], 'ignore', fp, base.ignores.map((ignore) => ignore.fingerprint))),
    allowlist: editAllowlist(base.allowlist, layer.allowlist),
    remotes: {
      private: layer.remotes?.private ?? base.remotes.private,
      public: layer.remotes?.public ?? base.remotes.public,
    },
    sync: {
      ...base.sync,
      ...layer.sync,
      hold: editStrings(base.sync.hold, layer.sync?.hold, (i, glob) => unknown(['sync', 'hold', 'remove', i], 'held path', glob, base.sync.hold)),
    },
    inlineMarker: layer.inlineMarker ?? base.inlineMarker,
    identifiers: { ...base.identifiers, ...layer.identifiers },
    limits: { ...base.limits, ...layer.limits },
    lanes: { ...base.lanes, ...layer.lanes },
  };
  return { policy, errors };
}

function edit<T>(
  base: T[],
  change: T[] | Edit<T, string> | undefined,
  keyOf: (item: T) => string,
  onUnknown: (index: number, key: string) => void,
): T[] {
  if (change === undefined) return base;
  if (Array.isArray(change)) return change;
  const removed = new Set(change.remove ?? []);
  change.remove?.forEach((key, i) => {
    if (!base.some((item) => keyOf(item) === key)) onUnknown(i, key);
  });
  const added = change.add ?? [];
  const addedKeys = new Set(added.map(keyOf));
  return [...base.filter((item) => !removed.has(keyOf(item)) && !addedKeys.has(keyOf(item))), ...added];
}

function editStrings(base: string[], change: string[] | { add?: string[]; remove?: string[] } | undefined, onUnknown: (index: number, value: string) => void): string[] {
  if (change === undefined) return base;
  if (Array.isArray(change)) return change;
  change.remove?.forEach((value, i) => {
    if (!base.includes(value)) onUnknown(i, value);
  });
  const kept = base.filter((value) => !change.remove?.includes(value));
  return [...kept, ...(change.add ?? []).filter((value) => !kept.includes(value))];
}

function editAllowlist(
  base: EffectivePolicy['allowlist'],
  change: AllowlistSpec | AllowlistEdit | undefined,
): EffectivePolicy['allowlist'] {
  if (change === undefined) return base;
  if ('add' in change || 'remove' in change) {
    const { add = {}, remove = {} } = change as AllowlistEdit;
    const apply = (list: string[], plus: string[] = [], minus: string[] = []) =>
      [...list.filter((item) => !minus.includes(item)), ...plus.filter((item) => !list.includes(item))];
    return {
      description: base.description,
      paths: apply(base.paths, add.paths, remove.paths),
      regexes: apply(base.regexes, add.regexes, remove.regexes),
      stopwords: apply(base.stopwords, add.stopwords, remove.stopwords),
    };
  }
  const spec = change as AllowlistSpec;
  return {
    description: spec.description ?? base.description,
    paths: spec.paths ?? base.paths,
    regexes: spec.regexes ?? base.regexes,
    stopwords: spec.stopwords ?? base.stopwords,
  };
}

