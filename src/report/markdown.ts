import type { GuardReport } from '../core/guard/types.js';
import { fixFor } from '../messages.js';
import { lineOf, scanned, summary, where } from './describe.js';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const MAX_ROWS = 100;

/** The job summary (GITHUB_STEP_SUMMARY): what was scanned, what was found, how to fix or allowlist it. */
export function toMarkdown(report: GuardReport, notes: readonly string[] = []): string {
  const count = report.violations.length;
  const lines = [
    `## mirror guard: ${count === 0 ? '✅ clean' : `❌ ${count} violation${count === 1 ? '' : 's'}`}`,
    '',
    `**Checked:** ${cell(report.target.description)}, toward a **${report.target.remoteClass}** remote${report.target.remote ? ` (${cell(report.target.remote.reason)})` : ''}.`,
    '',
    `**Scanned:** ${scanned(report.stats)}. **Policy:** ${report.policy.map((file) => code(file.split('/').slice(-2).join('/'))).join(' + ')}.`,
  ];
  for (const note of notes) lines.push('', `> ${cell(note)}`);
  if (count > 0) {
    lines.push('', '| Kind | Where | What | Fix |', '| --- | --- | --- | --- |');
    for (const violation of report.violations.slice(0, MAX_ROWS)) {
      lines.push(`| ${violation.type} | ${code(where(violation.location, lineOf(violation)))} | ${cell(summary(violation))} | ${cell(fixFor(violation).join(' — '))} |`);
    }
    if (count > MAX_ROWS) lines.push('', `…and ${count - MAX_ROWS} more; see the job log or the SARIF report.`);
    lines.push(
      '',
      '**Not a secret?** Add `mirror:allow` to the line, or an entry under `ignores:` in `.mirror/policy.yml` with the fingerprint and a reason. **A private path?** Publish with `mirror sync-up`, which leaves private paths behind.',
    );
  }
  const oversize = report.notices.filter((notice) => notice.type === 'skipped-oversize');
  if (oversize.length) lines.push('', `⚠️ ${oversize.length} file(s) over the size limit were not scanned: ${oversize.map((notice) => code(where(notice.location))).join(', ')}.`);
  const low = report.notices.filter((notice) => notice.type === 'low-confidence');
  if (low.length) lines.push('', `⚠️ ${low.length} low-confidence secret finding(s) reported as warnings: ${low.slice(0, 20).map((notice) => code(where(notice.location, notice.finding))).join(', ')}.`);
  return `${lines.join('\n')}\n`;
}
