import {
  DEFAULT_ACTION_REF,
  DEFAULT_FORGEJO_ACTION_REF,
  DEFAULT_RUNNER_LABELS,
  DEFAULT_FLEET_SCHEDULE,
  DEFAULT_SCHEDULE,
  type InitForge,
  type InitOptions,
  type InitRole,
} from './types.js';

export * from './types.js';
export { contentHash, decideFile, isPristine, withMarker, MARKER_PREFIX } from './files.js';
export { planGitignore, SECRET_IGNORES, SECRET_SAMPLES, TRACKED_SAMPLES, GITIGNORE_BEGIN, GITIGNORE_END, type GitignoreDecision } from './gitignore.js';
export { renderFiles, renderPolicy, renderSyncDown, renderExperiment, renderGuard, workflowDirectory, yamlScalar, POLICY_PATH, WORKFLOW_NAMES } from './templates.js';
export { renderFleetStatus, renderFleetSyncDown, FLEET_WORKFLOW_NAMES, FLEET_TOKEN_SECRET } from './fleet-templates.js';

/** What the command line gave, before defaults and checks. */
export interface InitRequest {
  role: InitRole;
  forge?: InitForge;
  actionRef?: string;
  branch?: string;
  upstreamUrl?: string;
  schedule?: string;
  runnerLabels?: string[];
  sarif?: boolean;
  /** --fleet: labels to split the status job by (a matrix) */
  fleetLabels?: string[];
}

export interface InitProblem {
  field: string;
  message: string;
}

/**
 * `owner/repo@ref`, `owner/repo/path@ref`, a full `https://host/owner/repo@ref`
 * (Forgejo), a local `./path`, or `docker://image`.
 */
const ACTION_REF = /^(?:\.\/[\w./-]*|docker:\/\/[\w./:@-]+|(?:https?:\/\/[\w.-]+(?::\d+)?\/)?[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[\w./-]+)$/;
const LABEL = /^[A-Za-z0-9][\w.:-]*$/;
const CRON_FIELD = /^[\d*/,\-A-Za-z]+$/;
/** as the fleet file's labels (policies/fleet.schema.json) */
const FLEET_LABEL = /^[A-Za-z0-9][A-Za-z0-9._:=/-]*$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*@\{|.*\.lock$)[\w./-]+(?<!\/|\.)$/;

/** Defaults filled in and every value checked; problems as data. */
export function resolveInitOptions(request: InitRequest): { ok: true; options: InitOptions } | { ok: false; problems: InitProblem[] } {
  const forge = request.forge ?? 'github';
  const options: InitOptions = {
    role: request.role,
    forge,
    actionRef: request.actionRef?.trim() || (forge === 'forgejo' ? DEFAULT_FORGEJO_ACTION_REF : DEFAULT_ACTION_REF),
    branch: request.branch?.trim() || 'main',
    ...(request.upstreamUrl !== undefined ? { upstreamUrl: request.upstreamUrl } : {}),
    schedule: request.schedule?.trim() || (request.role === 'fleet' ? DEFAULT_FLEET_SCHEDULE : DEFAULT_SCHEDULE),
    runnerLabels: request.runnerLabels?.length ? request.runnerLabels.map((label) => label.trim()) : [...DEFAULT_RUNNER_LABELS[forge]],
    sarif: request.sarif === true,
    fleetLabels: (request.fleetLabels ?? []).map((label) => label.trim()),
  };
  const problems: InitProblem[] = [];
  if (!ACTION_REF.test(options.actionRef)) {
    problems.push({ field: '--action-ref', message: `not an action reference: ${JSON.stringify(options.actionRef)} (expected OWNER/REPO@REF, OWNER/REPO/PATH@REF or https://HOST/OWNER/REPO@REF)` });
  }
  if (!BRANCH.test(options.branch)) problems.push({ field: '--branch', message: `not a branch name: ${JSON.stringify(options.branch)}` });
  const fields = options.schedule.split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => CRON_FIELD.test(field))) {
    problems.push({ field: '--schedule', message: `not a cron expression of five fields: ${JSON.stringify(options.schedule)}` });
  }
  for (const label of options.runnerLabels) {
    if (!LABEL.test(label)) problems.push({ field: '--runner-label', message: `not a runner label: ${JSON.stringify(label)}` });
  }
  for (const label of options.fleetLabels ?? []) {
    if (!FLEET_LABEL.test(label)) problems.push({ field: '--label', message: `not a fleet label: ${JSON.stringify(label)}` });
  }
  if (options.role !== 'fleet' && (options.fleetLabels ?? []).length > 0) problems.push({ field: '--label', message: '--label splits the fleet status job: use it with --fleet' });
  if (options.role === 'fleet') {
    const misplaced = [
      request.upstreamUrl !== undefined && '--upstream',
      request.runnerLabels?.length && '--runner-label',
      request.sarif && '--sarif',
    ].filter((flag): flag is string => typeof flag === 'string');
    for (const flag of misplaced) problems.push({ field: flag, message: `${flag} does not apply to the fleet's control repository (--fleet)` });
  } else if (options.role === 'public') {
    const misplaced = [
      request.upstreamUrl !== undefined && '--upstream',
      request.schedule !== undefined && '--schedule',
      request.runnerLabels?.length && '--runner-label',
    ].filter((flag): flag is string => typeof flag === 'string');
    for (const flag of misplaced) problems.push({ field: flag, message: `${flag} configures a private mirror; it does not apply with --public` });
  } else if (request.sarif) {
    problems.push({ field: '--sarif', message: '--sarif configures the public repository\'s guard workflow: use it with --public' });
  }
  if (options.upstreamUrl !== undefined && (options.upstreamUrl.trim() === '' || /[\s"'`$\\]/.test(options.upstreamUrl))) {
    problems.push({ field: '--upstream', message: `not a repository URL: ${JSON.stringify(options.upstreamUrl)}` });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}

export interface FetchUrl {
  url: string;
  /** why the URL in the workflow differs from the remote's, or why it may not work there */
  note?: string;
}

/**
 * The upstream URL a CI job can fetch anonymously: ssh and scp-style URLs become
 * https (a runner has no ssh key for a public project), credentials are dropped
 * (a workflow file is no place for them), local paths are kept with a note.
 */
export function ciFetchUrl(url: string): FetchUrl {
  const raw = url.trim();
  if (/^file:/i.test(raw) || raw.startsWith('/') || raw.startsWith('.') || raw.startsWith('~') || /^[a-z]:[\\/]/i.test(raw)) {
    return { url: raw, note: 'the upstream is a local path, which a CI runner cannot reach: set UPSTREAM_URL in the sync-down workflow' };
  }
  const ssh = /^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/i.exec(raw);
  if (ssh) return { url: `https://${ssh[1]!.toLowerCase()}/${ssh[2]}`, note: 'the workflow fetches the upstream over https: its ssh URL needs a key a runner does not have' };
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(raw);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    return { url: `https://${scp[1]!.toLowerCase()}/${scp[2]}`, note: 'the workflow fetches the upstream over https: its ssh URL needs a key a runner does not have' };
  }
  const withCredentials = /^([a-z][a-z0-9+.-]*:\/\/)[^/@]+@(.*)$/i.exec(raw);
  if (withCredentials) return { url: withCredentials[1]! + withCredentials[2]!, note: 'credentials in the upstream URL were left out of the workflow' };
  return { url: raw };
}
