/**
 * Drift: how far a mirror's own mirror set-up (the version its workflows run, its
 * policy, the workflows `mirror init` wrote) has moved from what the fleet
 * expects. Pure: the app reads the files from the shared cache and hashes them.
 */

import { parse } from 'yaml';
import { isPristine, renderExperiment, renderSyncDown, resolveInitOptions, workflowDirectory, WORKFLOW_NAMES, type InitForge } from '../init/index.js';

/** What the fleet file pins (top level, a mirror's own `expect:` overriding key by key). */
export interface DriftExpectation {
  /** the ref of mirror's action the mirror's workflows use (`uses: mirror-cli/mirror@REF`) */
  version?: string;
  /** `sha256:<hex>` of the mirror's `.mirror/policy.yml`, as `fleet status --json` prints it */
  policy?: string;
  /** compare the generated workflows with what the current `mirror init` writes (default true) */
  workflows?: boolean;
  /** how drift counts in the verdict (default warn) */
  level?: 'warn' | 'fail';
}

export type WorkflowState =
  /** exactly what the current `mirror init` writes with the file's own settings */
  | 'current'
  /** written by an older mirror and not edited since: `mirror init` brings it up to date */
  | 'outdated'
  /** changed by hand since mirror wrote it (`mirror init` keeps it; `--force` replaces it) */
  | 'edited'
  | 'missing'
  /** not YAML: its settings cannot be read back */
  | 'unreadable';

export interface WorkflowDrift {
  path: string;
  state: WorkflowState;
}

export interface DriftReport {
  /** the ref after `@` in the sync-down workflow's mirror step; undefined without one */
  version: string | undefined;
  policy: { hash: string | undefined; expected: string | undefined };
  workflows: WorkflowDrift[];
  /** what differs, in words; empty when nothing drifted */
  drifted: string[];
}

export interface DriftFacts {
  forge: InitForge;
  branch: string;
  /** file text by repository path; undefined when the branch lacks it */
  files: ReadonlyMap<string, string | undefined>;
  /** `sha256:<hex>` of `.mirror/policy.yml` (line ends normalised), undefined without one */
  policyHash: string | undefined;
}

export const POLICY_FILE = '.mirror/policy.yml';

/** The files drift reads from a mirror's default branch. */
export function driftPaths(forge: InitForge): string[] {
  const dir = workflowDirectory(forge);
  return [POLICY_FILE, `${dir}/${WORKFLOW_NAMES.syncDown}`, `${dir}/${WORKFLOW_NAMES.experiment}`];
}

type Doc = { on?: { schedule?: { cron?: unknown }[] }; jobs?: Record<string, { 'runs-on'?: unknown; steps?: { uses?: unknown; env?: Record<string, unknown>; with?: Record<string, unknown> }[] }> };

const parseDoc = (text: string): Doc | undefined => {
  try {
    const doc = parse(text) as unknown;
    return doc && typeof doc === 'object' ? (doc as Doc) : undefined;
  } catch {
    return undefined;
  }
};

/** The mirror step of a generated workflow: `uses:` of the step that runs mirror's action with `command:`. */
function mirrorStep(doc: Doc | undefined): string | undefined {
  for (const job of Object.values(doc?.jobs ?? {})) {
    for (const step of job?.steps ?? []) if (typeof step?.uses === 'string' && typeof step.with?.command === 'string') return step.uses;
  }
  return undefined;
}

/**
 * What the current `mirror init` would write for these two files, with the settings
 * read back from them (schedule, upstream URL, action reference, runner labels):
 * a mirror set up with its own flags is not drift, an old template or a hand edit is.
 */
export function expectedWorkflows(forge: InitForge, branch: string, syncDown: Doc | undefined, experiment: Doc | undefined): { syncDown: string; experiment: string } | undefined {
  const cron = syncDown?.on?.schedule?.[0]?.cron;
  const steps = syncDown?.jobs?.['sync-down']?.steps ?? [];
  const upstream = steps.map((step) => step?.env?.UPSTREAM_URL).find((value) => typeof value === 'string');
  const runsOn = experiment?.jobs?.experiment?.['runs-on'];
  const labels = Array.isArray(runsOn) ? runsOn.filter((label): label is string => typeof label === 'string') : typeof runsOn === 'string' ? [runsOn] : undefined;
  const resolved = resolveInitOptions({
    role: 'mirror',
    forge,
    branch,
    ...(mirrorStep(syncDown) ? { actionRef: mirrorStep(syncDown) } : {}),
    ...(typeof cron === 'string' ? { schedule: cron } : {}),
    ...(labels?.length ? { runnerLabels: labels } : {}),
    ...(typeof upstream === 'string' && upstream.trim() !== '' ? { upstreamUrl: upstream } : {}),
  });
  if (!resolved.ok) return undefined;
  return { syncDown: renderSyncDown(resolved.options), experiment: renderExperiment(resolved.options) };
}

const normalise = (text: string) => text.replace(/\r\n/g, '\n');

function workflowState(text: string | undefined, expected: string | undefined): WorkflowState {
  if (text === undefined) return 'missing';
  if (expected === undefined) return 'unreadable';
  if (normalise(text) === expected) return 'current';
  return isPristine(normalise(text)) ? 'outdated' : 'edited';
}

export function judgeDrift(facts: DriftFacts, expectation: DriftExpectation = {}): DriftReport {
  const [, syncDownPath, experimentPath] = driftPaths(facts.forge) as [string, string, string];
  const syncDownText = facts.files.get(syncDownPath);
  const experimentText = facts.files.get(experimentPath);
  const syncDown = syncDownText === undefined ? undefined : parseDoc(syncDownText);
  const experiment = experimentText === undefined ? undefined : parseDoc(experimentText);
  const uses = mirrorStep(syncDown);
  const version = uses?.includes('@') ? uses.slice(uses.lastIndexOf('@') + 1) : undefined;
  const drifted: string[] = [];

  if (expectation.version !== undefined && version !== expectation.version) {
    drifted.push(version === undefined ? `runs no mirror version the fleet can read (expected ${expectation.version})` : `runs mirror ${version}, the fleet expects ${expectation.version}`);
  }
  if (facts.files.get(POLICY_FILE) === undefined) drifted.push(`has no ${POLICY_FILE} (the shipped defaults apply)`);
  else if (expectation.policy !== undefined && facts.policyHash !== expectation.policy) drifted.push(`policy ${facts.policyHash!.slice(0, 19)}… differs from the expected ${expectation.policy.slice(0, 19)}…`);

  const workflows: WorkflowDrift[] = [];
  if (expectation.workflows !== false) {
    // a file that is not YAML gives no settings; the other one's still count
    const expected = expectedWorkflows(facts.forge, facts.branch, syncDown, experiment);
    workflows.push(
      { path: syncDownPath, state: syncDownText !== undefined && syncDown === undefined ? 'unreadable' : workflowState(syncDownText, expected?.syncDown) },
      { path: experimentPath, state: experimentText !== undefined && experiment === undefined ? 'unreadable' : workflowState(experimentText, expected?.experiment) },
    );
    for (const workflow of workflows) {
      if (workflow.state === 'current') continue;
      const why = { outdated: 'an older template (`mirror init` updates it)', edited: 'edited by hand since `mirror init` wrote it', missing: 'missing', unreadable: 'not valid YAML' }[workflow.state];
      drifted.push(`${workflow.path}: ${why}`);
    }
  }
  return { version, policy: { hash: facts.policyHash, expected: expectation.policy }, workflows, drifted };
}
