import { readActionsHistory, type History } from '../../adapters/forge/actions-history.js';
import { resolveForgeSettings, resolveToken, retryPolicyFromEnv, type ForgeKind } from '../../adapters/forge/index.js';
import { Repository } from '../../adapters/git/repository.js';
import { latencyBaseline, type LatencyBaseline } from '../../core/lanes/latency.js';
import { whatIf, type WhatIf } from '../../core/lanes/what-if.js';
import { parseSince } from '../../core/lanes/window.js';
import type { AuditResult } from '../../core/audit/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { auditWorkflows } from '../../core/audit/classify.js';
import { auditsAtCommits } from './workflows-at.js';
import { readRepositoryWorkflows } from './workflows.js';

export interface LatencyRequest {
  cwd: string;
  /** a remote name (default origin) or a repository URL */
  repo?: string;
  since: string;
  limit: number;
  /** the external lane's pickup, seconds */
  pickup: number;
  forge?: ForgeKind;
  apiUrl?: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
  onProgress?: (progress: { runs: number; jobsOf: number }) => void;
}

export interface LatencyReport {
  repository: string;
  forge: ForgeKind;
  window: { since: string; until: string; days: number; runs: number };
  baseline: LatencyBaseline;
  whatIf: WhatIf;
  notes: string[];
}

/** The audit, the history over the window, the baseline and the what-if: the latency command's data, and the base of `audit lanes`. */
export async function measureLatency(request: LatencyRequest): Promise<{ report: LatencyReport; audit: AuditResult }> {
  const now = request.now ?? new Date();
  const since = parseSince(request.since, now);
  if (since === undefined) {
    throw new MirrorError('bad-since', `cannot read --since ${request.since}`, { exitCode: ExitCode.usage, suggestions: ['use a number of days, hours or minutes (14d, 36h, 90m) or a date (2026-11-01)'] });
  }
  if (!Number.isInteger(request.limit) || request.limit < 1) throw new MirrorError('bad-limit', '--limit must be a positive whole number of runs', { exitCode: ExitCode.usage });
  if (!(request.pickup >= 0)) throw new MirrorError('bad-pickup', '--pickup must be a number of seconds, 0 or more', { exitCode: ExitCode.usage });
  const env = request.env ?? process.env;
  const { sources, options } = await readRepositoryWorkflows({ cwd: request.cwd });
  const audit = auditWorkflows(sources, options);
  const url = await remoteUrl(request.cwd, request.repo ?? 'origin');
  const settings = resolveForgeSettings(url, { ...(request.forge ? { kind: request.forge } : {}), ...(request.apiUrl ? { apiUrl: request.apiUrl } : {}), env });
  const token = await resolveToken(settings, { env });
  const repo = { owner: settings.location.owner, name: settings.location.name };
  const history: History = await readActionsHistory(settings.kind, { apiUrl: settings.apiUrl, token: token?.token, retry: retryPolicyFromEnv(env) }, repo, {
    since,
    limit: request.limit,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  const atCommits = await auditsAtCommits(request.cwd, history.runs.map((item) => item.run.headSha), options);
  const baseline = latencyBaseline(history.runs, (commit) => atCommits.auditOf(commit) ?? audit, {
    ...(options.hardwareLabels ? { hardwareLabels: options.hardwareLabels } : {}),
    ...(options.placementLabels ? { placementLabels: options.placementLabels } : {}),
    ...(options.laneLabel ? { laneLabel: options.laneLabel } : {}),
  });
  return {
    audit,
    report: {
      repository: `${repo.owner}/${repo.name}`,
      forge: settings.kind,
      window: { since: since.toISOString(), until: now.toISOString(), days: (now.getTime() - since.getTime()) / 86_400_000, runs: history.runs.length },
      baseline,
      whatIf: whatIf(baseline.jobs, request.pickup),
      notes: [...history.notes, ...atCommits.notes, ...(token ? [] : ['no token found: anonymous requests (public repositories only, low rate limit)'])],
    },
  };
}

export async function remoteUrl(cwd: string, repo: string): Promise<string> {
  if (/[:/]/.test(repo)) return repo;
  const repository = await Repository.open(cwd).catch(() => undefined);
  const url = await repository?.pushUrl(repo);
  if (url === undefined) {
    throw new MirrorError('no-such-remote', `no remote "${repo}" here to read workflow runs from`, { exitCode: ExitCode.usage, suggestions: ['pass --repo with a remote name or a URL such as https://github.com/OWNER/REPO'] });
  }
  return url;
}
