import { relative } from 'node:path';
import type { GuardReport, Notice, Violation } from '../core/guard/types.js';
import { defaultPolicyFile } from '../paths.js';
import { fixFor } from '../messages.js';
import { lineOf, scanned, secretSummary, summary, where } from './describe.js';
import { plain, type Style } from './style.js';

const LABEL: Record<Violation['type'], string> = {
  secret: 'secret',
  'private-path': 'private path',
  'private-identifier': 'identifier',
  oversize: 'not scanned',
};

/** Text output caps the list; --format json always has everything. */
const MAX_LISTED = 200;

export function renderText(report: GuardReport, options: { style?: Style; cwd?: string; footer?: string } = {}): string {
  const s = options.style ?? plain;
  const lines: string[] = [];
  const { target, stats } = report;
  lines.push(`${s.strong('mirror')} ${target.description}`);
  if (target.remote) {
    const name = target.remote.name ?? target.remote.url ?? '';
    lines.push(`  remote   ${name}${target.remote.url && target.remote.name ? ` (${target.remote.url})` : ''} → ${s.strong(target.remote.class)}: ${target.remote.reason}`);
  } else {
    lines.push(`  class    ${target.remoteClass}${target.remoteClass === 'private' ? ' (secrets only)' : ' (secrets, private paths, identifiers)'}`);
  }
  if (target.refs?.length) lines.push(`  refs     ${target.refs.map((ref) => `${ref.remote} (${ref.kind})`).join(', ')}`);
  lines.push(`  scanned  ${scanned(stats)}`);
  lines.push(`  policy   ${report.policy.map((file) => (file === defaultPolicyFile ? 'default' : relative(options.cwd ?? process.cwd(), file) || file)).join(' + ')}`);
  lines.push('');

  if (report.violations.length === 0) {
    lines.push(s.good('✓ clean: nothing to refuse'));
  } else {
    const count = report.violations.length;
    lines.push(s.bad(`✗ ${count} violation${count === 1 ? '' : 's'}`));
    for (const violation of report.violations.slice(0, MAX_LISTED)) lines.push('', ...violationLines(violation, s));
    if (count > MAX_LISTED) lines.push('', s.dim(`… and ${count - MAX_LISTED} more (use --format json to see all)`));
  }
  const notices = noticeLines(report.notices, s);
  if (notices.length) lines.push('', ...notices);
  if (report.violations.length > 0 && options.footer) lines.push('', options.footer);
  return `${lines.join('\n')}\n`;
}

function violationLines(violation: Violation, s: Style): string[] {
  return [
    `  ${s.bad('✗')} ${s.strong(LABEL[violation.type].padEnd(13))} ${where(violation.location, lineOf(violation))}`,
    `      ${summary(violation)}`,
    ...fixFor(violation).map((fix) => s.dim(`      → ${fix}`)),
  ];
}

function noticeLines(notices: readonly Notice[], s: Style): string[] {
  const out: string[] = [];
  const oversize = notices.filter((notice) => notice.type === 'skipped-oversize');
  for (const notice of oversize) {
    out.push(s.warn(`  ! not scanned (${notice.bytes} bytes, over the ${notice.limit}-byte limit): ${where(notice.location)}`));
  }
  const low = notices.filter((notice) => notice.type === 'low-confidence');
  for (const notice of low.slice(0, MAX_LISTED)) {
    out.push(s.warn(`  ! low confidence ${where(notice.location, { line: notice.finding.line, column: notice.finding.column })}`), `      ${secretSummary(notice.finding)}`);
  }
  if (low.length > MAX_LISTED) out.push(s.dim(`  … and ${low.length - MAX_LISTED} more low-confidence findings (use --format json to see all)`));
  if (low.length) out.push(s.dim(`  · ${low.length} low-confidence finding(s) reported as warnings, not refused (--min-confidence low refuses them)`));
  const suppressed = notices.filter((notice) => notice.type === 'suppressed');
  if (suppressed.length) {
    const by = (kind: string) => suppressed.filter((notice) => notice.finding.suppressed?.by === kind).length;
    const baseline = by('baseline');
    out.push(
      s.dim(
        `  · ${suppressed.length} finding(s) suppressed: ${by('ignore')} by policy ignores, ${by('inline-marker')} by mirror:allow markers` +
          (baseline ? `, ${baseline} by the baseline (.mirror/baseline.json)` : ''),
      ),
    );
  }
  return out;
}
