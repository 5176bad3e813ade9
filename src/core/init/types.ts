/**
 * `mirror init` as data: what the user asked for in, the files to write out. The
 * core renders contents and decides what to do with an existing file; the app
 * reads, writes and runs git.
 */

/** `fleet`: the private control repository holding `.mirror/fleet.yml` (`mirror init --fleet`) */
export type InitRole = 'mirror' | 'public' | 'fleet';
export type InitForge = 'github' | 'forgejo';

/** The `uses:` reference of mirror's composite action (the repository root's action.yml). */
export const DEFAULT_ACTION_REF = 'mirror-cli/mirror@v1';

/**
 * Forgejo resolves a short `uses:` against its own actions mirror (data.forgejo.org
 * by default), which does not carry mirror: point at GitHub explicitly.
 */
export const DEFAULT_FORGEJO_ACTION_REF = `https://github.com/${DEFAULT_ACTION_REF}`;

/** Weekdays at 05:23 UTC: off the hour, when scheduled jobs queue up. */
export const DEFAULT_SCHEDULE = '23 5 * * 1-5';

/** The fleet's status: weekdays at 06:47 UTC, after the mirrors' own scheduled sync-downs have run. */
export const DEFAULT_FLEET_SCHEDULE = '47 6 * * 1-5';

export const DEFAULT_RUNNER_LABELS: Record<InitForge, string[]> = {
  github: ['self-hosted', 'linux', 'x64'],
  forgejo: ['self-hosted'],
};

export interface InitOptions {
  role: InitRole;
  forge: InitForge;
  actionRef: string;
  /** the branch sync-down merges into and the guard protects (default main) */
  branch: string;
  /** mirror: the upstream URL as the workflow should fetch it (already CI-friendly) */
  upstreamUrl?: string;
  /** mirror: cron for the scheduled sync-down */
  schedule: string;
  /** mirror: `runs-on` labels of the experiment template */
  runnerLabels: string[];
  /** public, GitHub only: write a SARIF report and upload it to code scanning */
  sarif: boolean;
  /** fleet: one status job per label, as a matrix (empty: one job for the whole fleet) */
  fleetLabels?: string[];
}

/** A whole file mirror owns until the user changes it. */
export interface GeneratedFile {
  /** relative to the repository root, with forward slashes */
  path: string;
  kind: 'policy' | 'workflow';
  content: string;
}

export type FileDecision =
  /** absent: write it */
  | { action: 'create' }
  /** identical already */
  | { action: 'unchanged' }
  /** written by an earlier mirror and not edited since (or --force): replace it */
  | { action: 'update'; reason: 'template' | 'force' }
  /** differs from what mirror would write and was edited by someone: leave it */
  | { action: 'keep' };
