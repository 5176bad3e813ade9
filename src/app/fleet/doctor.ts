import type { ForgeOptions } from '../../adapters/forge/index.js';
import { FleetCache, mirrorNamespace } from '../../adapters/git/fleet-cache.js';
import {
  branchCheck,
  featureCheck,
  hookWorkflowCheck,
  originPrivateCheck,
  summarise,
  worst,
  type BranchWorkflows,
  type CheckStatus,
  type DoctorCheck,
  type DoctorSummary,
  type Side,
} from '../../core/doctor/index.js';
import { workflowDirectory } from '../../core/init/index.js';
import type { FleetMirror } from '../../fleet/types.js';
import { redactUrl } from '../../core/remotes.js';
import { inspectForgeSide } from '../doctor/doctor.js';
import { fleetCacheDir } from './cache-dir.js';
import { openFleet, type ControlRequest } from './control.js';
import { mapPool } from './pool.js';

export interface FleetDoctorRequest extends ControlRequest {
  jobs?: number;
  labels?: string[];
  /** `--cache DIR`: the shared fetch cache of `fleet status` */
  cache?: string;
  env?: NodeJS.ProcessEnv;
  /** forge client settings (tests) */
  forgeOptions?: Pick<ForgeOptions, 'ghToken' | 'retry' | 'timeoutMs' | 'sleep'>;
}

/** The forge checks `mirror doctor` runs on a mirror's origin, in the same order. */
export const FLEET_DOCTOR_CHECKS = ['origin-private', 'secret-scanning', 'push-protection', 'branch-protection', 'hook-workflow'] as const;

/** Where each forge looks for workflows: Forgejo reads .forgejo/workflows, and .gitea or .github ones too. */
const WORKFLOW_DIRS: Record<FleetMirror['forge'], string[]> = { github: ['.github/workflows'], forgejo: ['.forgejo/workflows', '.gitea/workflows', '.github/workflows'] };

export interface FleetDoctorRow {
  name: string;
  url: string;
  status: CheckStatus;
  checks: DoctorCheck[];
}

export interface FleetDoctorReport {
  file: string;
  mirrors: FleetDoctorRow[];
  /** mirrors by their worst check */
  mirrorSummary: DoctorSummary;
  /** every check of every mirror */
  checkSummary: DoctorSummary;
}

/**
 * `mirror fleet doctor`: each mirror of the fleet file inspected as `mirror doctor`
 * inspects origin (same gathering, same pure checks, same fixes), so a fleet row
 * and a doctor run in that mirror's clone can never disagree.
 */
export async function fleetDoctor(request: FleetDoctorRequest): Promise<FleetDoctorReport> {
  const env = request.env ?? process.env;
  const { place, mirrors } = await openFleet(request, request.labels ?? []);
  const cache = await FleetCache.open(fleetCacheDir(request.cwd, place, request.cache));
  const rows = await mapPool(mirrors, request.jobs ?? 4, async (mirror): Promise<FleetDoctorRow> => {
    const [{ access }, workflows] = await Promise.all([
      inspectForgeSide(mirror.url, mirror.name, 'mirror', {
        kind: mirror.forge,
        ...(mirror.apiUrl ? { apiUrl: mirror.apiUrl } : {}),
        env,
        ...request.forgeOptions,
      }),
      branchWorkflows(cache, mirror),
    ]);
    const side: Side = { remote: mirror.name, side: 'mirror', access };
    const checks = [
      originPrivateCheck(side),
      featureCheck('secretScanning', [side]),
      featureCheck('pushProtection', [side]),
      branchCheck([side]),
      hookWorkflowCheck(mirror.name, workflows, workflowDirectory(mirror.forge)),
    ];
    return { name: mirror.name, url: redactUrl(mirror.url), status: worst(checks.map((check) => check.status)), checks };
  });
  const mirrorSummary: DoctorSummary = { pass: 0, warn: 0, fail: 0 };
  for (const row of rows) mirrorSummary[row.status]++;
  return { file: place.fleetFile, mirrors: rows, mirrorSummary, checkSummary: summarise(rows.flatMap((row) => row.checks)) };
}

/** The mirror's workflow files on its default branch, fetched into the shared cache (git, not the forge API). */
async function branchWorkflows(cache: FleetCache, mirror: FleetMirror): Promise<BranchWorkflows> {
  const fetched = await cache.fetchBranch(mirror.url, mirror.defaultBranch, mirrorNamespace(mirror.name));
  if (!fetched.ok) return { state: 'unread', reason: fetched.error };
  if (!fetched.found) return { state: 'unread', reason: `no branch ${mirror.defaultBranch}` };
  const ref = `${mirrorNamespace(mirror.name)}/heads/${mirror.defaultBranch}`;
  const paths = (await Promise.all(WORKFLOW_DIRS[mirror.forge].map((dir) => cache.listFiles(ref, dir)))).flat().filter((path) => /\.ya?ml$/.test(path));
  const texts = await cache.readFiles(ref, paths);
  return { state: 'read', branch: mirror.defaultBranch, files: paths.flatMap((path) => (texts.get(path) === undefined ? [] : [{ path, text: texts.get(path)! }])) };
}
