import type { GuardReport } from '../core/guard/types.js';
import { lineOf, pathOf, secretSummary, summary, where } from './describe.js';

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub and Forgejo Actions workflow commands: one `::error` annotation per violation. */
export function toAnnotations(report: GuardReport): string {
  const lines = report.violations.map((violation) => {
    const path = pathOf(violation.location);
    const { line, column } = lineOf(violation);
    const properties = [
      path !== undefined ? `file=${escapeProperty(path)}` : '',
      line ? `line=${line}` : '',
      column ? `col=${column}` : '',
      `title=${escapeProperty(`mirror: ${violation.type}`)}`,
    ].filter(Boolean);
    return `::error ${properties.join(',')}::${escapeData(`${summary(violation)} (${where(violation.location)})`)}`;
  });
  for (const notice of report.notices) {
    if (notice.type === 'skipped-oversize') {
      const path = pathOf(notice.location);
      lines.push(`::warning ${path ? `file=${escapeProperty(path)},` : ''}title=mirror%3A not scanned::${escapeData(`over the ${notice.limit}-byte limit (${notice.bytes} bytes)`)}`);
    } else if (notice.type === 'low-confidence') {
      const path = pathOf(notice.location);
      const properties = [
        path !== undefined ? `file=${escapeProperty(path)}` : '',
        `line=${notice.finding.line}`,
        `col=${notice.finding.column}`,
        `title=${escapeProperty('mirror: secret (low confidence)')}`,
      ].filter(Boolean);
      lines.push(`::warning ${properties.join(',')}::${escapeData(`${secretSummary(notice.finding)} (${where(notice.location)})`)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
