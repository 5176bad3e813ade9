import type { AllowlistSpec, RuleSpec } from '../core/detect/types.js';

/** Where policy text came from: a file on disk or a blob read from git. */
export interface PolicySource {
  /** shown in errors: a path, or `<rev>:<path>` for a policy read from git */
  file: string;
  text: string;
}

export interface ZoneSpec {
  name: string;
  description?: string;
  include: string[];
  exclude?: string[];
}

export interface IgnoreSpec {
  fingerprint: string;
  reason: string;
  rule?: string;
  path?: string;
}

export interface Edit<T, K> {
  add?: T[];
  remove?: K[];
}

export interface AllowlistEdit {
  add?: AllowlistSpec;
  remove?: AllowlistSpec;
}

export interface SyncSpec {
  upstreamRemote?: string;
  mirrorRemote?: string;
  branch?: string;
  privateTrailers?: string[];
  holdMessages?: string[];
  /** paths (globs) sync-up never proposes upstream; `{ add, remove }` edits the default's list */
  hold?: string[] | { add?: string[]; remove?: string[] };
  /** workflows (globs) sync-up may propose although they use self-hosted runners or secrets */
  allowWorkflows?: string[];
}

export interface LanesSpec {
  hardwareLabels?: string[];
  placementLabels?: string[];
  laneLabel?: string;
  /** a price book for `mirror audit lanes`, relative to the repository root */
  prices?: string;
}

export interface LimitsSpec {
  maxFileBytes?: number;
  oversize?: 'warn' | 'refuse';
}

/** One policy file as the schema allows it. */
export interface PolicyLayer {
  version?: 1;
  zones?: ZoneSpec[] | Edit<ZoneSpec, string>;
  remotes?: { private?: string[]; public?: string[] };
  sync?: SyncSpec;
  allowlist?: AllowlistSpec | AllowlistEdit;
  ignores?: IgnoreSpec[] | Edit<IgnoreSpec, string>;
  inlineMarker?: string;
  identifiers?: { file?: string; env?: string };
  limits?: LimitsSpec;
  lanes?: LanesSpec;
  rules?: RuleSpec[] | Edit<RuleSpec, string>;
}

/** The default with every layer applied: every field present, lists resolved. */
export interface EffectivePolicy {
  zones: ZoneSpec[];
  remotes: { private: string[]; public: string[] };
  sync: Required<Omit<SyncSpec, 'hold'>> & { hold: string[] };
  allowlist: Required<Omit<AllowlistSpec, 'description'>> & { description?: string };
  ignores: IgnoreSpec[];
  inlineMarker: string;
  identifiers: { file?: string; env?: string };
  limits: Required<LimitsSpec>;
  lanes: LanesSpec & { hardwareLabels: string[]; placementLabels: string[] };
  rules: RuleSpec[];
}
