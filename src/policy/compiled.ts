import type { DetectionConfig, RegexSource } from '../core/detect/types.js';
import type { CompiledRemotes } from '../core/remotes.js';
import type { CompiledZone } from '../core/zones.js';

/**
 * The effective policy in the form the guard runs on: globs and regexes compiled
 * to sources, plain JSON so it can be cached and loaded without YAML, ajv or
 * minimatch on the hook's hot path.
 */
export interface CompiledPolicy {
  format: 3;
  zones: CompiledZone[];
  remotes: CompiledRemotes;
  sync: {
    upstreamRemote: string;
    mirrorRemote: string;
    branch: string;
    privateTrailers: string[];
    holdMessages: RegexSource[];
    /** paths sync-up never proposes: the files `mirror init` writes for the private side, by default */
    hold: { glob: string; pattern: RegexSource }[];
    /** workflows that may go up although they use self-hosted runners or secrets */
    allowWorkflows: { glob: string; pattern: RegexSource }[];
  };
  detection: DetectionConfig;
  identifiers: { file?: string; env?: string };
  limits: { maxFileBytes: number; oversize: 'warn' | 'refuse' };
  /** how `mirror audit` reads runs-on labels; absent in a cache written before lanes existed */
  lanes?: { hardwareLabels: string[]; placementLabels: string[]; laneLabel?: string; prices?: string };
}
