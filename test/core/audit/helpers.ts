import { auditWorkflows, type WorkflowSource } from '../../../src/core/audit/classify.js';
import type { AuditResult, JobReport, Platform, WorkflowReport } from '../../../src/core/audit/types.js';

/** Audits inline workflows; `files` maps a path under .github/workflows (or a full path) to its text. */
export function audit(files: Record<string, string>, platform: Platform = 'github'): AuditResult {
  const dir = platform === 'github' ? '.github/workflows' : `.${platform}/workflows`;
  const sources: WorkflowSource[] = Object.entries(files).map(([name, text]) => ({
    file: name.includes('/') ? name : `${dir}/${name}`,
    platform,
    text,
  }));
  return auditWorkflows(sources, { root: '/repo', directories: [dir] });
}

/** One inline workflow. */
export function one(text: string, platform: Platform = 'github'): WorkflowReport {
  return audit({ 'w.yml': text }, platform).workflows[0]!;
}

export function job(report: WorkflowReport, id: string): JobReport {
  const found = report.jobs.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no job ${id} in ${report.file}: ${report.jobs.map((j) => j.id).join(', ')}`);
  return found;
}

/** A one-job workflow around the given job body (indented by the caller with 4 spaces). */
export function jobWorkflow(body: string, header = 'on: push\npermissions:\n  contents: read\n'): string {
  return `${header}jobs:\n  j:\n${body}`;
}

/** A one-job, one-step workflow on ubuntu-latest. */
export function stepWorkflow(step: string): string {
  return jobWorkflow(`    runs-on: ubuntu-latest\n    steps:\n${step}`);
}
