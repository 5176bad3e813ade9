/**
 * What a sync-down of one mirror came to, decided from plain facts. The same
 * outcomes whether the mirror's own workflow ran it (default) or a local clone
 * did (`--local`). No git, no network.
 */

/** The line `mirror sync-down --ci` prints last, so whoever reads the job log knows exactly what happened. */
export const SYNC_DOWN_RESULT_MARKER = 'mirror-sync-down-result:';

export interface SyncDownReport {
  status: 'up-to-date' | 'merged' | 'pull-request' | 'conflict';
  /** upstream commits the mirror lacked */
  behind: number;
  conflicts?: string[];
  pullRequestUrl?: string;
  pushedTo?: string;
}

/** The parts of sync-down's result this needs (kept structural: the core does not import the app). */
export type SyncDownResultLike =
  | { status: 'up-to-date'; behind: number }
  | { status: 'paused'; behind: number; conflicts?: string[] }
  | { status: 'done'; behind: number; pushedTo?: string; pullRequestUrl?: string };

export function reportOf(result: SyncDownResultLike): SyncDownReport {
  switch (result.status) {
    case 'up-to-date':
      return { status: 'up-to-date', behind: 0 };
    case 'paused':
      return { status: 'conflict', behind: result.behind, conflicts: result.conflicts ?? [] };
    case 'done':
      return result.pullRequestUrl
        ? { status: 'pull-request', behind: result.behind, pullRequestUrl: result.pullRequestUrl, ...(result.pushedTo ? { pushedTo: result.pushedTo } : {}) }
        : { status: 'merged', behind: result.behind, ...(result.pushedTo ? { pushedTo: result.pushedTo } : {}) };
  }
}

/** One line, JSON after the marker: robust to the timestamps and prefixes forges put before each log line. */
export function resultLine(report: SyncDownReport): string {
  return `${SYNC_DOWN_RESULT_MARKER} ${JSON.stringify(report)}`;
}

const STATUSES = new Set<SyncDownReport['status']>(['up-to-date', 'merged', 'pull-request', 'conflict']);

/** The last result line in a job log, if the log has a well-formed one. */
export function parseResultLine(log: string): SyncDownReport | undefined {
  let found: SyncDownReport | undefined;
  for (const line of log.split(/\r?\n/)) {
    const at = line.indexOf(SYNC_DOWN_RESULT_MARKER);
    if (at === -1) continue;
    try {
      const value = JSON.parse(line.slice(at + SYNC_DOWN_RESULT_MARKER.length).trim()) as Partial<SyncDownReport>;
      if (!value || typeof value !== 'object' || !STATUSES.has(value.status as SyncDownReport['status'])) continue;
      found = {
        status: value.status!,
        behind: typeof value.behind === 'number' ? value.behind : 0,
        ...(Array.isArray(value.conflicts) ? { conflicts: value.conflicts.filter((file): file is string => typeof file === 'string') } : {}),
        ...(typeof value.pullRequestUrl === 'string' ? { pullRequestUrl: value.pullRequestUrl } : {}),
        ...(typeof value.pushedTo === 'string' ? { pushedTo: value.pushedTo } : {}),
      };
    } catch {
      // a line that only mentions the marker (an echo of this very code, say) is not a result
    }
  }
  return found;
}

export type FleetSyncOutcome = 'merged' | 'up-to-date' | 'pull-request' | 'conflict' | 'failed' | 'unreachable';

export interface OpenSyncPull {
  number: number;
  url: string;
  head: string;
}

export type MirrorSyncFacts =
  /** the forge (or, with --local, git) could not reach the mirror */
  | { state: 'unreachable'; error: string }
  /** nothing ran: the dispatch was refused, the clone could not be prepared, sync-down stopped with an error */
  | { state: 'error'; error: string }
  /** the watch ended before the run did */
  | { state: 'timed-out'; run: RunFacts }
  /** the mirror's workflow ran to its end */
  | { state: 'run'; run: RunFacts; result: SyncDownReport | undefined; openPull: OpenSyncPull | undefined }
  /** sync-down ran in a local clone */
  | { state: 'local'; clone: string; result: SyncDownReport };

export interface RunFacts {
  id: number;
  conclusion: string | null;
  htmlUrl: string;
}

export interface MirrorSyncVerdict {
  name: string;
  outcome: FleetSyncOutcome;
  /** merged, up to date or a pull request opened: the mirror needs nothing from a person */
  ok: boolean;
  message: string;
  conflicts?: string[];
  pullRequestUrl?: string;
  run?: RunFacts;
  clone?: string;
}

const OK: ReadonlySet<FleetSyncOutcome> = new Set(['merged', 'up-to-date', 'pull-request']);

function fromReport(report: SyncDownReport, pull: OpenSyncPull | undefined): Pick<MirrorSyncVerdict, 'outcome' | 'message' | 'conflicts' | 'pullRequestUrl'> {
  switch (report.status) {
    case 'up-to-date':
      return { outcome: 'up-to-date', message: 'already up to date with upstream' };
    case 'merged':
      return { outcome: 'merged', message: `merged ${report.behind} upstream commit(s)${report.pushedTo ? `, pushed to ${report.pushedTo}` : ''}` };
    case 'pull-request': {
      const url = pull?.url ?? report.pullRequestUrl;
      return { outcome: 'pull-request', message: `merge of ${report.behind} upstream commit(s) proposed in ${pull ? `#${pull.number} ` : ''}${url}`, ...(url ? { pullRequestUrl: url } : {}) };
    }
    case 'conflict': {
      const files = report.conflicts ?? [];
      return { outcome: 'conflict', message: `conflicts in ${files.length ? files.join(', ') : 'files the run did not name'}`, conflicts: files };
    }
  }
}

export function judgeSync(name: string, facts: MirrorSyncFacts): MirrorSyncVerdict {
  let verdict: Omit<MirrorSyncVerdict, 'name' | 'ok'>;
  switch (facts.state) {
    case 'unreachable':
      verdict = { outcome: 'unreachable', message: `unreachable: ${facts.error}` };
      break;
    case 'error':
      verdict = { outcome: 'failed', message: facts.error };
      break;
    case 'timed-out':
      verdict = { outcome: 'failed', message: `run ${facts.run.id} had not finished when the watch timed out ${facts.run.htmlUrl}`, run: facts.run };
      break;
    case 'local':
      verdict = { ...fromReport(facts.result, undefined), clone: facts.clone };
      break;
    case 'run': {
      const { run, result, openPull } = facts;
      if (result?.status === 'conflict') verdict = { ...fromReport(result, undefined), run };
      else if (run.conclusion !== 'success') verdict = { outcome: 'failed', message: `run ${run.id} ended ${run.conclusion ?? 'without a conclusion'} ${run.htmlUrl}`, run };
      // a success that printed no result line (an older mirror action): the open pull request tells merged from proposed
      else if (!result) verdict = openPull ? { ...fromReport({ status: 'pull-request', behind: 0 }, openPull), message: `merge proposed in #${openPull.number} ${openPull.url}`, run } : { outcome: 'merged', message: `run ${run.id} succeeded ${run.htmlUrl}`, run };
      else verdict = { ...fromReport(result, openPull), run };
      break;
    }
  }
  return { name, ok: OK.has(verdict.outcome), ...verdict };
}

export type FleetSyncSummary = Record<FleetSyncOutcome, number> & { mirrors: number; ok: number; attention: number };

export function summariseSync(verdicts: readonly MirrorSyncVerdict[]): FleetSyncSummary {
  const summary: FleetSyncSummary = { mirrors: verdicts.length, ok: 0, attention: 0, merged: 0, 'up-to-date': 0, 'pull-request': 0, conflict: 0, failed: 0, unreachable: 0 };
  for (const verdict of verdicts) {
    summary[verdict.outcome]++;
    if (verdict.ok) summary.ok++;
    else summary.attention++;
  }
  return summary;
}

export function syncSummaryLine(summary: FleetSyncSummary): string {
  const parts = [`${summary.mirrors} mirror(s)`];
  for (const outcome of ['merged', 'up-to-date', 'pull-request', 'conflict', 'failed', 'unreachable'] as const) {
    if (summary[outcome]) parts.push(`${summary[outcome]} ${outcome === 'pull-request' ? 'pull request(s) opened' : outcome}`);
  }
  return parts.join(', ');
}
