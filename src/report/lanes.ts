import type { LanesRecord } from '../app/audit/lanes.js';
import { BURDEN_ITEMS } from '../core/lanes/prices.js';
import { duration, latencyMarkdownTables, percent, whatIfSentence } from './latency.js';

export const LANES_FORMATS = ['table', 'markdown'] as const;
export type LanesFormat = (typeof LANES_FORMATS)[number];

const cell = (text: string) => text.replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
const money = (value: number, currency: string) => `${value.toFixed(2)} ${currency}`;

/**
 * The decision record: the five questions in order, each with its figures. Markdown,
 * to paste into the issue that asked; the text format is the same document. Every
 * block (paragraph, list, table, fence) stands between blank lines, so any CommonMark
 * reader (and GitHub's and Forgejo's) renders the lists and tables as such.
 */
export function renderLanes(record: LanesRecord, format: LanesFormat): string {
  const { latency, cost, decision } = record;
  const c = cost.currency;
  const blocks: string[][] = [];
  const block = (...lines: string[]) => {
    if (lines.length > 0) blocks.push(lines);
  };
  const list = (items: string[]) => block(...items.map((item) => `- ${item}`));
  const h = (title: string) => block(format === 'markdown' ? `## ${title}` : title.toUpperCase());
  block(format === 'markdown' ? `# Burst lane decision: ${decision.answer.toUpperCase()}` : `BURST LANE DECISION: ${decision.answer.toUpperCase()}`);
  block(`${latency.repository} (${latency.forge}), runs created ${latency.window.since} to ${latency.window.until} (${latency.window.days.toFixed(2)} days): ${latency.window.runs} runs, ${latency.baseline.jobs.length} jobs measured.`);
  list([...latency.notes, ...latency.baseline.notes].map((note) => `note: ${note}`));

  h('1. Can selected jobs be routed to an external ephemeral runner safely? (trust boundary)');
  block(
    'The external lane receives a checkout of the change under test and a read-only token (`permissions: contents: read`, `persist-credentials: false`), triggered by `pull_request` (never `pull_request_target`).',
    'It receives no secrets, no environments, no OIDC token (`id-token`), no runtime env files and nothing only the trusted runner has.',
  );
  const local = record.classes.filter((job) => job.class !== 'external-safe');
  block(local.length === 0 ? 'Nothing stays local.' : 'Stays local, job by job:');
  list(local.map((job) => `${job.workflow} ${job.job} (${job.class}): ${job.reasons.join('; ')}`));

  h('2. Which checks are safe to run there? (classes)');
  block(row(['Workflow', 'Job', 'Class', 'Runs on today', 'Why']), '|---|---|---|---|---|', ...record.classes.map((job) => row([job.workflow, job.job, job.class + (job.movable ? ' (movable)' : ''), job.placement ?? '—', job.reasons.join('; ') || '—'])));

  h('Baseline (queue time measured)');
  const tables = latencyMarkdownTables(latency);
  const split = tables.indexOf('');
  block(...tables.slice(0, split));
  block(...tables.slice(split + 1));

  h('What-if');
  block(`${whatIfSentence(latency)}.`, `Queue time of the team's runners replayed over the window: ${duration(latency.whatIf.totalQueue.before)} before, ${duration(latency.whatIf.totalQueue.after)} after.`);
  list(latency.whatIf.assumptions.map((assumption) => `model: ${assumption}`));

  h('3. Cheapest practical runner shape and what it costs (cost)');
  block(`Moving jobs scaled to 30 days (x ${cost.scale}): ${cost.jobsPerMonth} jobs, ${cost.minutesPerMonth} run minutes per month; queue time saved ${cost.queueHoursSavedPerMonth} h per month. Prices: ${record.pricesFile}.`);
  block(
    row(['Shape', 'Billing', 'Adds capacity', 'Billed min/month', `Per month (${c})`, `Per hour of queue saved (${c})`, 'Upkeep h/month', 'Price read', 'Source']),
    '|---|---|---|---|---|---|---|---|---|',
    // the burden beside the price: a cheap shape that takes hours to keep up is not cheap
    ...cost.shapes.map((shape) => row([shape.name, shape.billing, shape.addsCapacity ? 'yes' : 'no (shares capacity)', String(shape.billedMinutes), shape.perMonth.toFixed(2), shape.perHourSaved === undefined ? '—' : shape.perHourSaved.toFixed(2), String(shape.burdenHours), shape.read, shape.source])),
  );

  h('Operational burden (hours per month)');
  block(row(['Shape', ...BURDEN_ITEMS, 'Total']), `|---|${BURDEN_ITEMS.map(() => '---|').join('')}---|`, ...cost.shapes.map((shape) => row([shape.name, ...BURDEN_ITEMS.map((item) => String(shape.burden[item])), String(shape.burdenHours)])));

  h('4. How leakage is prevented');
  list([
    'only external-safe jobs move: the audit classes each job by what it needs (secrets, environments, OIDC, write permissions, host paths, private services), not by where it runs today;',
    'the pilot is re-audited before it is written and `mirror audit workflows --fail-on local-only` gates every later change;',
    'this command never registers a runner, never changes branch protection, never moves a secret and never spends.',
  ]);

  h('5. What queue-time improvement justifies it? (recommendation)');
  block(`Rule: ${decision.rule}.`);
  list(decision.reasons);
  block(
    decision.answer === 'go'
      ? `Recommendation: GO: route the ${latency.whatIf.moved} external-safe job runs of the window to ${decision.cheapest!.name} (${money(decision.cheapest!.perMonth, c)}/month, ${decision.cheapest!.burdenHours} h/month upkeep).`
      : `Recommendation: NO-GO: keep the current runner model. The p95 queue of the external-safe jobs is ${duration(decision.p95Before)} today; moving them would make it ${duration(decision.p95After)}.`,
  );
  if (decision.wouldChange.length > 0) {
    block('What would change the answer:');
    list(decision.wouldChange);
  }
  if (decision.answer === 'go' && record.pilot) {
    h('Pilot');
    block(record.pilot.plan);
    block('```diff', record.pilot.diff.trimEnd(), '```');
    if (record.pilot.rollback.length > 0) {
      block(format === 'markdown' ? '### Rollback' : 'ROLLBACK');
      list(record.pilot.rollback);
    }
  }
  if (record.posted) block(`posted as a comment on issue #${record.posted.issue}${record.posted.url ? `: ${record.posted.url}` : ''}`);
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
