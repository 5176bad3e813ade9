import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { policyLanes } from './workflows.js';
import { parse } from 'yaml';
import { resolveForgeSettings, resolveToken, retryPolicyFromEnv } from '../../adapters/forge/index.js';
import { estimateCost, type CostEstimate } from '../../core/lanes/cost.js';
import { decide, type Decision } from '../../core/lanes/decision.js';
import { validatePriceBook, type PriceBook } from '../../core/lanes/prices.js';
import type { AuditResult, TrustClass } from '../../core/audit/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import { measureLatency, remoteUrl, type LatencyReport, type LatencyRequest } from './latency.js';

/** The pilot's plan and diff, from the pilot writer of `mirror audit workflows --pilot`, shown when the answer is go. */
export interface PilotSection {
  /** one line: which job moves, to which label */
  plan: string;
  diff: string;
  /** how to undo it (the files it writes, `git revert`) */
  rollback: string[];
}

export interface LanesRequest extends LatencyRequest {
  minSaving: number;
  budget: number;
  /** a price book in the shape of policies/lane-prices.yml; default the shipped one */
  pricesFile?: string;
  /** a GitHub or Forgejo/Gitea issue to comment the record on */
  post?: number;
  /** given by the caller when a pilot planner exists; rendered only when the answer is go */
  pilot?: (audit: AuditResult) => Promise<PilotSection | undefined>;
}

export interface ClassRow {
  workflow: string;
  job: string;
  class: TrustClass;
  movable: boolean;
  placement?: string;
  reasons: string[];
}

export interface LanesRecord {
  latency: LatencyReport;
  classes: ClassRow[];
  pricesFile: string;
  cost: CostEstimate;
  decision: Decision;
  pilot?: PilotSection;
  posted?: { issue: number; url?: string };
}

export const DEFAULT_PRICES = join(packageRoot, 'policies', 'lane-prices.yml');

export async function loadPriceBook(file: string): Promise<PriceBook> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MirrorError('bad-prices', `cannot read the price file ${file}`, { exitCode: ExitCode.usage });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new MirrorError('bad-prices', `${file}: not YAML: ${(error as Error).message.split('\n')[0]}`, { exitCode: ExitCode.usage });
  }
  const result = validatePriceBook(raw);
  if ('errors' in result) {
    throw new MirrorError('bad-prices', `${file}: ${result.errors.map((error) => `${error.field} ${error.message}`).join('; ')}`, { exitCode: ExitCode.usage });
  }
  return result.book;
}

/** `lanes.prices` of the repository's policy, resolved against the repository root (it may not leave it). */
async function policyPrices(cwd: string): Promise<{ file: string; given: string } | undefined> {
  const repo = await Repository.open(resolve(cwd)).catch(() => undefined);
  const root = repo?.info.root ?? resolve(cwd);
  const prices = (await policyLanes(root))?.prices;
  if (prices === undefined) return undefined;
  const full = resolve(root, prices);
  if (full !== root && !full.startsWith(root + sep)) {
    throw new MirrorError('bad-prices', `.mirror/policy.yml: lanes.prices must be a path inside the repository (${prices})`, { exitCode: ExitCode.usage });
  }
  return { file: full, given: prices };
}

/** The audit, baseline and what-if of `audit latency` over one window, priced and decided; comments it only with --post. */
export async function decideLanes(request: LanesRequest, render: (record: LanesRecord) => string): Promise<LanesRecord> {
  if (!(request.minSaving >= 0)) throw new MirrorError('bad-min-saving', '--min-saving must be seconds, 0 or more', { exitCode: ExitCode.usage });
  if (!(request.budget >= 0)) throw new MirrorError('bad-budget', '--budget must be an amount per month, 0 or more', { exitCode: ExitCode.usage });
  if (request.post !== undefined && !(Number.isInteger(request.post) && request.post > 0)) throw new MirrorError('bad-post', '--post must be an issue number', { exitCode: ExitCode.usage });
  const fromPolicy = request.pricesFile === undefined ? await policyPrices(request.cwd) : undefined;
  const pricesFile = request.pricesFile ?? fromPolicy?.file ?? DEFAULT_PRICES;
  // the price book first: a bad file is a usage error before any request is made
  const book = await loadPriceBook(pricesFile);
  const { report, audit } = await measureLatency(request);
  const classes: ClassRow[] = audit.workflows.flatMap((workflow) =>
    workflow.jobs.map((job) => ({ workflow: workflow.file, job: job.name ?? job.id, class: job.class, movable: job.movable === true, ...(job.runner?.placement ? { placement: job.runner.placement } : {}), reasons: job.reasons })),
  );
  const cost = estimateCost(report.baseline.jobs, report.whatIf, report.window.days, book);
  const decision = decide(report.whatIf, cost, { minSaving: request.minSaving, budget: request.budget });
  const pilot = decision.answer === 'go' && request.pilot ? await request.pilot(audit) : undefined;
  const record: LanesRecord = { latency: report, classes, pricesFile: pricesFile === DEFAULT_PRICES ? 'policies/lane-prices.yml (shipped)' : fromPolicy !== undefined ? `${fromPolicy.given} (policy lanes.prices)` : pricesFile, cost, decision, ...(pilot ? { pilot } : {}) };
  if (request.post !== undefined) {
    const env = request.env ?? process.env;
    const { commentOnIssue } = await import('../../adapters/forge/issue-comments.js');
    const settings = resolveForgeSettings(await remoteUrl(request.cwd, request.repo ?? 'origin'), { ...(request.forge ? { kind: request.forge } : {}), ...(request.apiUrl ? { apiUrl: request.apiUrl } : {}), env });
    const token = await resolveToken(settings, { env });
    const posted = await commentOnIssue(settings.kind, { apiUrl: settings.apiUrl, token: token?.token, retry: retryPolicyFromEnv(env) }, settings.location, request.post, render(record));
    record.posted = { issue: request.post, ...(posted.url ? { url: posted.url } : {}) };
  }
  return record;
}
