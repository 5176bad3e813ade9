import type { FleetProposals } from '../app/fleet/proposals.js';
import type { Proposal } from '../core/fleet/proposals.js';

const carried = (pull: Proposal) => (pull.carriedBy.length > 0 ? pull.carriedBy.join(', ') : 'no mirror of the fleet');
const commits = (pull: Proposal) => `${pull.commits} commit${pull.commits === 1 ? '' : 's'}`;

export function summaryText(report: FleetProposals): string {
  const { summary } = report;
  const parts = [`${summary.pulls} sync-up pull request(s)`, `${summary.groups} proposed more than once`, `${summary.toClose} to close`];
  if (summary.unreadable) parts.push(`${summary.unreadable} unreadable`);
  return parts.join(', ');
}

export function renderFleetProposalsText(report: FleetProposals): string {
  const lines = [`upstream ${report.upstream.repository} ${report.upstream.branch} (${report.upstream.url})`, ''];
  if (report.summary.pulls === 0) lines.push('no open sync-up pull request');
  for (const group of report.groups) {
    lines.push(`same change (patch id ${group.patchId.slice(0, 12)}), carried by ${group.mirrors.join(', ') || 'no mirror of the fleet'}:`);
    for (const pull of group.pulls) {
      const verdict = pull.number === group.keep ? 'keep ' : 'close';
      lines.push(`  ${verdict} #${pull.number} ${pull.title} (${pull.head}, ${commits(pull)}, opened ${pull.createdAt}) ${pull.url}`);
    }
    lines.push(`  → merge #${group.keep} (the oldest); close ${group.close.map((n) => `#${n}`).join(', ')} as duplicates of it`, '');
  }
  if (report.single.length > 0) {
    lines.push('proposed once:');
    for (const pull of report.single) lines.push(`  #${pull.number} ${pull.title} (${pull.head}, ${commits(pull)}) carried by ${carried(pull)} ${pull.url}`);
    lines.push('');
  }
  for (const pull of report.unreadable) lines.push(`! #${pull.number} ${pull.title}: head not readable (${pull.unreadable})`);
  for (const mirror of report.unreachable) lines.push(`! ${mirror.name}: history not read (${mirror.error}); proposals it carries show without it`);
  if (report.unreadable.length + report.unreachable.length > 0) lines.push('');
  lines.push(summaryText(report));
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderFleetProposalsMarkdown(report: FleetProposals): string {
  const lines = [`### Sync-up proposals to \`${cell(report.upstream.repository)}\` ${cell(report.upstream.branch)}`, ''];
  lines.push('| pull request | change | commits | carried by | opened | verdict |', '|---|---|---:|---|---|---|');
  const row = (pull: Proposal, verdict: string) =>
    lines.push(`| [#${pull.number}](${pull.url}) ${cell(pull.title)} | ${pull.patchId ? `\`${pull.patchId.slice(0, 12)}\`` : '-'} | ${pull.commits} | ${cell(carried(pull))} | ${cell(pull.createdAt)} | ${verdict} |`);
  for (const group of report.groups) for (const pull of group.pulls) row(pull, pull.number === group.keep ? '**keep** (oldest)' : `close (duplicate of #${group.keep})`);
  for (const pull of report.single) row(pull, 'proposed once');
  for (const pull of report.unreadable) row(pull, `head not readable: ${cell(pull.unreadable ?? '')}`);
  lines.push('', summaryText(report));
  return `${lines.join('\n')}\n`;
}
