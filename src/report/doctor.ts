import type { DoctorReport } from '../app/doctor/doctor.js';
import type { CheckStatus, DoctorCheck } from '../core/doctor/types.js';
import { plain, type Style } from './style.js';

const MARK: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗' };

function line(check: DoctorCheck, width: number, style: Style, shown: ReadonlySet<string>): string[] {
  const paint = check.status === 'fail' ? style.bad : check.status === 'warn' ? style.warn : style.good;
  const lines = [`  ${paint(MARK[check.status])} ${check.id.padEnd(width)}  ${check.message}`];
  const indent = ' '.repeat(width + 6);
  for (const detail of check.details ?? []) lines.push(`${indent}${style.dim(`- ${detail}`)}`);
  if (check.fix && check.status !== 'pass') for (const fix of check.fix.split('\n')) if (!shown.has(fix)) lines.push(`${indent}→ ${fix}`);
  return lines;
}

/** The checklist: local checks, then forge checks, then the count and the exit code's meaning. */
export function renderDoctor(report: DoctorReport, style: Style = plain): string {
  const width = Math.max(...report.checks.map((check) => check.id.length));
  const role =
    report.role === 'mirror'
      ? `private mirror (${report.remotes.mirror} is the mirror, ${report.remotes.public} the public project)`
      : `public repository (${report.remotes.public} is the public side)`;
  const lines = [style.strong(`mirror doctor: ${role}`), '', 'local'];
  for (const check of report.checks.filter((c) => c.group === 'local')) lines.push(...line(check, width, style, new Set()));
  lines.push('', 'forge');
  // a remote the forge could not be asked about: said once here, not under every check it skips
  const shown = new Set<string>();
  for (const connection of report.connections) {
    const where = connection.kind ? `${connection.repository} on ${connection.kind} (${connection.apiUrl})${connection.tokenSource ? `, token from ${connection.tokenSource}` : ''}` : '';
    if (connection.problem) {
      lines.push(`  ${style.warn('!')} ${connection.remote}: ${where ? `${where}: ` : ''}${connection.problem.reason}; its forge checks are skipped`);
      if (connection.problem.fix) lines.push(`      → ${connection.problem.fix}`);
      shown.add(connection.problem.fix);
    } else lines.push(style.dim(`  ${connection.remote}: ${where}`));
  }
  for (const check of report.checks.filter((c) => c.group === 'forge')) lines.push(...line(check, width, style, shown));
  const { pass, warn, fail } = report.summary;
  lines.push('', `${fail} failed, ${warn} warning${warn === 1 ? '' : 's'}, ${pass} passed${fail > 0 ? ' (exit 1)' : ''}`);
  return `${lines.join('\n')}\n`;
}
