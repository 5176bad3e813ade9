import type { AuditResult, JobReport, MoveItem, WorkflowClass, WorkflowReport } from '../core/audit/types.js';
import { CLASS_ORDER } from '../core/audit/types.js';

export const AUDIT_FORMATS = ['table', 'markdown'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function renderAudit(result: AuditResult, format: AuditFormat, options: { failOn?: WorkflowClass; failing?: WorkflowReport[] } = {}): string {
  return format === 'markdown' ? renderAuditMarkdown(result, options) : renderAuditTable(result, options);
}

// ---- table -----------------------------------------------------------------

function table(rows: string[][], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function describeMove(move: MoveItem[]): string {
  return move.map((item) => (item.steps ? `steps ${item.steps.map((step) => `"${step}"`).join(', ')} of job "${item.job}"` : `job "${item.job}"`)).join('; ');
}

export function renderAuditTable(result: AuditResult, options: { failOn?: WorkflowClass; failing?: WorkflowReport[] } = {}): string {
  const lines: string[] = [];
  const dirs = result.directories.length ? result.directories.join(', ') : '(none)';
  lines.push(`workflows  ${dirs}`);
  for (const note of result.notes) lines.push(`note       ${note}`);
  if (result.workflows.length > 0) {
    lines.push('');
    const rows = [['FILE', 'CLASS', 'JOBS']];
    for (const workflow of result.workflows) {
      const jobs = workflow.class === 'invalid' ? (workflow.reasons[0] ?? '') : workflow.jobs.map((job) => (job.class === workflow.class ? job.id : `${job.id} (${job.class})`)).join(', ');
      rows.push([workflow.file, workflow.class, jobs]);
    }
    lines.push(...table(rows));
  }
  for (const workflow of result.workflows) {
    if (workflow.class === 'external-safe' && workflow.notes.length === 0 && workflow.flags.length === 0 && workflow.jobs.every((job) => job.notes.length === 0)) continue;
    lines.push('', `${workflow.file}  ${workflow.class}${workflow.name ? `  (${workflow.name})` : ''}`);
    if (workflow.class === 'invalid') {
      for (const error of workflow.errors ?? []) lines.push(`  ✗ ${error.line !== undefined ? `line ${error.line}${error.column !== undefined ? `:${error.column}` : ''}: ` : ''}${error.message}`);
      continue;
    }
    for (const job of workflow.jobs) lines.push(...jobLines(job));
    for (const flag of workflow.flags) lines.push(`  ${flag.level === 'error' ? '✗' : '!'} ${flag.rule}${flag.line !== undefined ? ` (line ${flag.line})` : ''}: ${flag.message}`);
    if (workflow.move.length > 0) lines.push(`  → would move: ${describeMove(workflow.move)}`);
    for (const note of workflow.notes) lines.push(`  note: ${note}`);
  }
  lines.push('', summaryLine(result));
  if (options.failOn !== undefined && options.failing !== undefined) lines.push(verdictLine(options.failOn, options.failing));
  return `${lines.join('\n')}\n`;
}

function jobLines(job: JobReport): string[] {
  const head = `  ${job.id.padEnd(16)} ${job.class}`;
  const lines = [head];
  for (const reason of job.reasons) lines.push(`      - ${reason}`);
  if (job.move?.length) lines.push(`      → would move: ${job.move.map((step) => `"${step}"`).join(', ')}`);
  if (job.runner?.placement !== undefined) lines.push(`      labels: ${describeLabels(job)}`);
  for (const note of job.notes) lines.push(`      note: ${note}`);
  return lines;
}

/** Each non-hosted label with the role it was given and the rule that gave it. */
export function describeLabels(job: JobReport): string {
  return (job.runner?.labels ?? [])
    .filter((label) => label.role !== 'hosted')
    .map((label) => `"${label.label}" ${label.role} (${label.rule})`)
    .join('; ');
}

export function summaryLine(result: AuditResult): string {
  const total = result.workflows.length;
  const parts = CLASS_ORDER.filter((cls) => result.summary[cls] > 0).map((cls) => `${result.summary[cls]} ${cls}`);
  return `${total} workflow${total === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function verdictLine(failOn: WorkflowClass, failing: WorkflowReport[]): string {
  if (failing.length === 0) return `✓ no workflow at or beyond ${failOn}`;
  return `✗ ${failing.length} workflow${failing.length === 1 ? '' : 's'} at or beyond ${failOn}: ${failing.map((workflow) => workflow.file).join(', ')}`;
}

// ---- markdown --------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function renderAuditMarkdown(result: AuditResult, options: { failOn?: WorkflowClass; failing?: WorkflowReport[] } = {}): string {
  const out: string[] = ['# CI workflow trust audit', ''];
  out.push(
    'Classes: **external-safe** workflows can run on any ephemeral external runner; **local-only** ones need secrets, environments, particular runners, write access or OIDC, or change something outside the repository; **needs-split** ones mix both.',
    '',
  );
  out.push(`Workflow directories: ${result.directories.length ? result.directories.map(code).join(', ') : 'none'}. ${summaryLine(result)}.`, '');
  for (const note of result.notes) out.push(`> ${cell(note)}`, '');
  if (result.workflows.length > 0) {
    out.push('| Workflow | Class | Jobs | Would move |', '|---|---|---|---|');
    for (const workflow of result.workflows) {
      const jobs = workflow.class === 'invalid' ? '—' : workflow.jobs.map((job) => `${job.id} (${job.class})`).join(', ');
      out.push(`| ${code(workflow.file)} | ${workflow.class} | ${cell(jobs)} | ${workflow.move.length ? cell(describeMove(workflow.move)) : '—'} |`);
    }
    out.push('');
  }
  for (const workflow of result.workflows) {
    out.push(`## ${code(workflow.file)}: ${workflow.class}`, '');
    if (workflow.class !== 'invalid') out.push(`${workflow.name ? `Name: ${cell(workflow.name)}. ` : ''}Triggers: ${workflow.triggers.map(code).join(', ') || 'none'}.`, '');
    if (workflow.class === 'invalid') {
      for (const error of workflow.errors ?? []) out.push(`- ${error.line !== undefined ? `line ${error.line}: ` : ''}${cell(error.message)}`);
      out.push('');
      continue;
    }
    out.push('| Job | Class | Reasons |', '|---|---|---|');
    for (const job of workflow.jobs) {
      const reasons = job.signals.length
        ? job.signals.map((signal) => `${signal.line !== undefined ? `line ${signal.line}: ` : ''}${cell(signal.message)}`).join('<br>')
        : '—';
      const labels = job.runner?.placement !== undefined ? `<br>labels: ${cell(describeLabels(job))}` : '';
      out.push(`| ${code(job.id)} | ${job.class}${job.movable ? ' (movable)' : ''} | ${reasons}${labels} |`);
    }
    out.push('');
    if (workflow.flags.length) {
      out.push('Flags:', '');
      for (const flag of workflow.flags) out.push(`- **${flag.rule}** (${flag.level}${flag.line !== undefined ? `, line ${flag.line}` : ''}): ${cell(flag.message)}`);
      out.push('');
    }
    if (workflow.move.length) out.push(`**Would move:** ${cell(describeMove(workflow.move))}.`, '');
    const notes = [...workflow.notes, ...workflow.jobs.flatMap((job) => job.notes.map((note) => `job ${code(job.id)}: ${note}`))];
    if (notes.length) {
      out.push('Notes:', '');
      for (const note of notes) out.push(`- ${cell(note)}`);
      out.push('');
    }
  }
  if (options.failOn !== undefined && options.failing !== undefined) out.push(`**Check \`--fail-on ${options.failOn}\`:** ${cell(verdictLine(options.failOn, options.failing))}`, '');
  return `${out.join('\n').trimEnd()}\n`;
}
