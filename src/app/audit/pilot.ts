import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { auditWorkflows } from '../../core/audit/classify.js';
import { planPilot, verify, type PilotPlan } from '../../core/lanes/pilot.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { readRepositoryWorkflows, type AuditRequest } from './workflows.js';

export interface PilotRepositoryRequest extends AuditRequest {
  job?: string;
  /** --artifact: files the lane's steps write that the steps staying local read */
  artifacts?: string[];
  /** write the files; otherwise only the plan and its diff */
  write: boolean;
}

export interface PilotOutcome extends PilotPlan {
  /** the repository root the paths are relative to */
  root: string;
  /** the files written (empty on a dry run or a refusal) */
  written: string[];
}

/**
 * Plans the pilot over the repository's workflows and, with `write`, writes it and
 * re-audits the files as written; a re-audit that fails puts the files back as
 * they were. The lane label comes from the request or the policy's lanes.laneLabel.
 */
export async function pilotRepositoryWorkflows(request: PilotRepositoryRequest): Promise<PilotOutcome> {
  const { sources, options } = await readRepositoryWorkflows(request);
  const laneLabel = options.laneLabel;
  if (laneLabel === undefined) {
    throw new MirrorError('pilot-no-lane', 'the pilot needs the external lane\'s runs-on label', {
      exitCode: ExitCode.usage,
      suggestions: ['pass --lane-label LABEL (the label the external runner registers with)', 'or set lanes.laneLabel in .mirror/policy.yml'],
    });
  }
  const before = auditWorkflows(sources, options);
  const plan = planPilot(sources, options, { laneLabel, ...(request.job !== undefined ? { job: request.job } : {}), ...(request.artifacts?.length ? { artifacts: request.artifacts } : {}) }, before);
  if (plan.status === 'invalid-request') {
    throw new MirrorError('pilot-invalid-request', plan.reason!, { exitCode: ExitCode.usage, suggestions: plan.alternatives.length ? [`jobs that could be piloted: ${plan.alternatives.join(', ')}`] : [] });
  }
  const outcome: PilotOutcome = { ...plan, root: options.root, written: [] };
  if (plan.status !== 'ready' || !request.write) return outcome;

  const written: string[] = [];
  try {
    for (const change of plan.changes) {
      const full = join(options.root, change.path);
      mkdirSync(dirname(full), { recursive: true });
      // a file created meanwhile is not overwritten
      writeFileSync(full, change.after, { flag: change.action === 'create' ? 'wx' : 'w' });
      written.push(change.path);
    }
    // the files as they are on disk now, through the same reading as the audit
    const reread = await readRepositoryWorkflows(request);
    const proof = verify(before, auditWorkflows(reread.sources, { ...reread.options, laneLabel }), plan.changes, plan.candidate!, laneLabel, plan.pilot);
    if (!proof.ok) throw new Error(`the files as written failed their re-audit: ${proof.problems.join('; ')}`);
  } catch (error) {
    restore(options.root, plan, written);
    return { ...outcome, status: 'refused', reason: `${error instanceof Error ? error.message : String(error)}; nothing was left changed`, written: [] };
  }
  return { ...outcome, written };
}

function restore(root: string, plan: PilotPlan, written: string[]): void {
  for (const change of plan.changes) {
    if (!written.includes(change.path)) continue;
    const full = join(root, change.path);
    if (change.action === 'create') rmSync(full, { force: true });
    else writeFileSync(full, change.before!);
  }
}
