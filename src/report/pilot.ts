import type { PilotPlan } from '../core/lanes/pilot.js';

/** What `--pilot` prints: the job, the verdict of the re-audit, notes, and the diff (or what was written). */
export function renderPilot(plan: PilotPlan & { written?: string[] }, format: 'table' | 'markdown' = 'table', options: { write?: boolean } = {}): string {
  return format === 'markdown' ? renderPilotMarkdown(plan) : renderPilotText(plan, options);
}

export function describeCandidate(plan: PilotPlan): string {
  const candidate = plan.candidate!;
  const what = candidate.kind === 'split' ? `the external-safe steps of needs-split job "${candidate.job}"` : `${candidate.kind} job "${candidate.job}"`;
  return `${what} of ${candidate.file} on the external lane "${plan.laneLabel}"`;
}

function renderPilotText(plan: PilotPlan & { written?: string[] }, options: { write?: boolean }): string {
  const lines: string[] = [];
  if (plan.candidate) lines.push(`pilot      ${describeCandidate(plan)}`);
  if (plan.candidate?.kind === 'split') lines.push(`stays      ${plan.candidate.stays.map((step) => `"${step}"`).join(', ')}`);
  if (plan.pilot?.placement === 'job') lines.push(`pilot job  "${plan.pilot.job}" in ${plan.pilot.path}, beside "${plan.candidate!.job}" (for pull requests)`);
  if (plan.handoff) lines.push(`handoff    ${plan.handoff.paths.join(', ')} as artifact "${plan.handoff.artifact}" (${plan.handoff.upload} -> ${plan.handoff.download})`);
  if (plan.reaudit) {
    lines.push(plan.reaudit.ok ? `re-audit   ✓ the pilot is ${plan.reaudit.pilotClass}; the original keeps its triggers, jobs, classes and secrets` : 're-audit   ✗ failed');
    for (const problem of plan.reaudit.problems) lines.push(`  ✗ ${problem}`);
  }
  for (const note of plan.notes) lines.push(`note       ${note}`);
  if (plan.status !== 'ready') lines.push(`refused    ${plan.reason ?? ''}`);
  if (plan.alternatives.length > 0) lines.push(`also       ${plan.alternatives.join(', ')} (--job FILE:JOB)`);
  if (plan.diff) lines.push('', plan.diff.trimEnd());
  if (plan.status === 'ready') {
    lines.push('');
    for (const step of plan.rollback) lines.push(`rollback   ${step}`);
    if (plan.written && plan.written.length > 0) lines.push(`wrote      ${plan.written.join(', ')}`);
    else if (!options.write) lines.push('dry run: nothing written (--write writes these files)');
  } else lines.push('', 'nothing written');
  return `${lines.join('\n')}\n`;
}

function renderPilotMarkdown(plan: PilotPlan): string {
  const out: string[] = ['## Pilot external lane', ''];
  if (plan.candidate) out.push(`Runs ${describeCandidate(plan)}.`, '');
  if (plan.pilot?.placement === 'job') {
    out.push(
      plan.handoff
        ? `The pilot is job \`${plan.pilot.job}\` of ${plan.pilot.path}; \`${plan.candidate!.job}\` needs it and fetches ${plan.handoff.paths.map((path) => `\`${path}\``).join(', ')} from it as artifact \`${plan.handoff.artifact}\`.`
        : `The pilot is job \`${plan.pilot.job}\` of ${plan.pilot.path}, beside \`${plan.candidate!.job}\`; the jobs that need \`${plan.candidate!.job}\` need both.`,
      '',
    );
  }
  if (plan.status !== 'ready') out.push(`**Refused:** ${plan.reason ?? ''}`, '');
  if (plan.reaudit) {
    out.push(plan.reaudit.ok ? `Re-audit: the pilot is **${plan.reaudit.pilotClass}**; the original keeps its triggers, jobs, classes and secrets.` : 'Re-audit **failed**:', '');
    for (const problem of plan.reaudit.problems) out.push(`- ${problem}`);
    if (plan.reaudit.problems.length) out.push('');
  }
  for (const note of plan.notes) out.push(`- ${note}`);
  if (plan.notes.length) out.push('');
  if (plan.diff) out.push('```diff', plan.diff.trimEnd(), '```', '');
  if (plan.status === 'ready' && plan.rollback.length) out.push('### Rollback', '', ...plan.rollback.map((step) => `- ${step}`), '');
  return `${out.join('\n')}`;
}
