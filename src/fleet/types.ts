import type { ForgeKind } from '../adapters/forge/types.js';
import type { DriftExpectation } from '../core/fleet/drift.js';

/** `.mirror/fleet.yml` once validated, defaults applied. */
export interface Fleet {
  file: string;
  /** forge and apiUrl: where its pull requests are read (`fleet proposals`); undefined: derived from the URL */
  upstream: { url: string; branch: string; forge?: ForgeKind; apiUrl?: string };
  mirrors: FleetMirror[];
}

export interface FleetMirror {
  name: string;
  url: string;
  forge: ForgeKind;
  /** undefined: derived from the URL as for every other forge call */
  apiUrl: string | undefined;
  /** the mirror's branch that follows the upstream branch; defaults to the upstream's */
  defaultBranch: string;
  labels: string[];
  /** the fleet's `expect:` with the mirror's own keys over it */
  expect?: DriftExpectation;
}
