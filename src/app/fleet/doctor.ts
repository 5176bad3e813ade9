import type { ForgeOptions } from '../../adapters/forge/index.js';
import { branchCheck, featureCheck, originPrivateCheck, summarise, worst, type CheckStatus, type DoctorCheck, type DoctorSummary, type Side } from '../../core/doctor/index.js';
import { redactUrl } from '../../core/remotes.js';
import { inspectForgeSide } from '../doctor/doctor.js';
import { openFleet, type ControlRequest } from './control.js';
import { mapPool } from './pool.js';

export interface FleetDoctorRequest extends ControlRequest {
  jobs?: number;
  labels?: string[];
  env?: NodeJS.ProcessEnv;
  /** forge client settings (tests) */
  forgeOptions?: Pick<ForgeOptions, 'ghToken' | 'retry' | 'timeoutMs' | 'sleep'>;
}

/** The forge checks `mirror doctor` runs on a mirror's origin, in the same order. */
export const FLEET_DOCTOR_CHECKS = ['origin-private', 'secret-scanning', 'push-protection', 'branch-protection'] as const;

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
  const rows = await mapPool(mirrors, request.jobs ?? 4, async (mirror): Promise<FleetDoctorRow> => {
    const { access } = await inspectForgeSide(mirror.url, mirror.name, 'mirror', {
      kind: mirror.forge,
      ...(mirror.apiUrl ? { apiUrl: mirror.apiUrl } : {}),
      env,
      ...request.forgeOptions,
    });
    const side: Side = { remote: mirror.name, side: 'mirror', access };
    const checks = [originPrivateCheck(side), featureCheck('secretScanning', [side]), featureCheck('pushProtection', [side]), branchCheck([side])];
    return { name: mirror.name, url: redactUrl(mirror.url), status: worst(checks.map((check) => check.status)), checks };
  });
  const mirrorSummary: DoctorSummary = { pass: 0, warn: 0, fail: 0 };
  for (const row of rows) mirrorSummary[row.status]++;
  return { file: place.fleetFile, mirrors: rows, mirrorSummary, checkSummary: summarise(rows.flatMap((row) => row.checks)) };
}
