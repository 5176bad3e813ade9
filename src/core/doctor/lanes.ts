import type { JobReport, WorkflowReport } from '../audit/types.js';
import type { PublicWorkflows } from './forge.js';
import type { DoctorCheck } from './types.js';

/** Events a fork's pull request triggers: `pull_request*` run the fork's code, `pull_request_target` runs with secrets. */
const FORK_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment', 'pull_request_target'];

/**
 * The public repository's runner lanes: which of its jobs target self-hosted labels
 * (and whether they could move to a hosted or external lane or belong in the
 * private mirror), and which local-only jobs a fork's pull request would run with
 * secrets while running its code or text. Warnings: the forge settings (approval
 * of fork runs) that would soften them are not visible in the files.
 */
export function runnerLanesCheck(workflows: PublicWorkflows): DoctorCheck {
  const base = { id: 'runner-lanes' as const, group: 'forge' as const };
  if (workflows.audit === undefined) {
    return { ...base, status: 'warn', skipped: true, message: `workflows not checked: ${workflows.ref} does not exist here`, fix: `git fetch ${workflows.ref.split('/')[0]}` };
  }
  const details: string[] = [];
  let movable = 0;
  let pinned = 0;
  let forked = 0;
  for (const workflow of workflows.audit.workflows) {
    const forkEvents = workflow.triggers.filter((trigger) => FORK_EVENTS.includes(trigger));
    for (const job of workflow.jobs) {
      const where = `${workflow.file} job "${job.id}"`;
      const labels = nonHostedLabels(job);
      if (labels.length > 0) {
        const reach = forkEvents.length > 0 ? ` (${forkEvents.join(', ')}: a fork's pull request runs it there)` : '';
        if (job.class === 'external-safe') {
          movable++;
          details.push(`${where} targets ${labels.join(', ')}${reach}, but needs nothing of them: run it on a hosted runner or the external lane`);
        } else {
          pinned++;
          details.push(`${where} targets ${labels.join(', ')}${reach} and is ${job.class}: run it in the private mirror`);
        }
      }
      if (workflow.triggers.includes('pull_request_target') && job.class !== 'external-safe' && usesSecrets(job) && runsForkInput(workflow, job)) {
        forked++;
        details.push(`${where} is ${job.class} with secrets and runs for fork pull requests (pull_request_target) on their code or text`);
      }
    }
  }
  if (details.length === 0) {
    return { ...base, status: 'pass', message: `no workflow in ${workflows.ref} targets self-hosted labels, and no local-only job runs a fork pull request's code with secrets` };
  }
  const parts = [
    movable + pinned > 0 ? `${movable + pinned} job${movable + pinned > 1 ? 's' : ''} in ${workflows.ref}'s workflows target${movable + pinned > 1 ? '' : 's'} self-hosted labels (${movable} could move to a hosted or external lane, ${pinned} belong${pinned === 1 ? 's' : ''} in the private mirror)` : '',
    forked > 0 ? `${forked} local-only job${forked > 1 ? 's' : ''} would run a fork pull request's code or text with secrets` : '',
  ].filter(Boolean);
  return {
    ...base,
    status: 'warn',
    message: parts.join('; '),
    details,
    fix: [
      'movable jobs: runs-on a hosted label, or the external lane (`mirror audit workflows --pilot --job FILE:JOB --lane-label LABEL` writes it, re-audited)',
      'jobs that need the runner or secrets: keep them in the private mirror; fork pull requests get pull_request workflows with a read-only token',
    ].join('\n'),
  };
}

function nonHostedLabels(job: JobReport): string[] {
  if (job.runner?.placement === undefined && !job.signals.some((signal) => signal.kind === 'runner')) return [];
  return (job.runner?.labels ?? []).filter((label) => label.role !== 'hosted').map((label) => `"${label.label}"`);
}

function usesSecrets(job: JobReport): boolean {
  return job.signals.some((signal) => signal.kind === 'secrets' || signal.kind === 'environment' || signal.kind === 'credentials');
}

/** The job checks out the pull request's head, or splices its text into a script. */
function runsForkInput(workflow: WorkflowReport, job: JobReport): boolean {
  return workflow.flags.some((flag) => flag.job === job.id && (flag.rule === 'dangerous-checkout' || flag.rule === 'template-injection'));
}
