import { FLEET_DOCTOR_CHECKS, type FleetDoctorReport } from '../app/fleet/doctor.js';

const MARK = { pass: '✓', warn: '!', fail: '✗' } as const;

/** One row per mirror, one column per forge check; then each warning and failure with its fix. */
export function renderFleetDoctorText(report: FleetDoctorReport): string {
  const header = ['', 'mirror', ...FLEET_DOCTOR_CHECKS];
  const rows = report.mirrors.map((row) => [
    MARK[row.status],
    row.name,
    ...FLEET_DOCTOR_CHECKS.map((id) => {
      const check = row.checks.find((candidate) => candidate.id === id);
      return check ? `${MARK[check.status]} ${check.skipped ? 'skipped' : check.status}` : '-';
    }),
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const notes: string[] = [];
  for (const row of report.mirrors) {
    for (const check of row.checks) {
      if (check.status === 'pass') continue;
      notes.push(`${MARK[check.status]} ${row.name} ${check.id}: ${check.message}`);
      if (check.fix) notes.push(`    fix: ${check.fix}`);
    }
  }
  if (notes.length > 0) lines.push('', ...notes);
  const { pass, warn, fail } = report.mirrorSummary;
  lines.push('', `${report.mirrors.length} mirror${report.mirrors.length === 1 ? '' : 's'}: ${pass} pass, ${warn} warn, ${fail} fail`);
  return `${lines.join('\n')}\n`;
}
