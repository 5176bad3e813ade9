import { describeSecretRef, secretsInValue, type SecretRef } from './expressions.js';
import { classifyRunsOn, type LabelDeclarations } from './runners.js';
import { checksOutPullRequestHead, isSetupAction, scanAction, scanScript, scriptPathsIn, untrustedExpressions, type StepFinding } from './signals.js';
import {
  CLASS_ORDER,
  type AuditOptions,
  type AuditResult,
  type Flag,
  type JobReport,
  type MoveItem,
  type ParseError,
  type Platform,
  type Signal,
  type TrustClass,
  type WorkflowClass,
  type WorkflowReport,
} from './types.js';
import { entryLine, get, isNull, parseYamlTree, scalars, str, type YMap, type YNode } from './yaml-tree.js';

/** A workflow file as the app read it: plain data, no file system here. */
export interface WorkflowSource {
  /** relative to the repository root, with forward slashes */
  file: string;
  platform: Platform;
  text: string;
  /** the file could not be read (too large, permissions): reported as invalid */
  readError?: string;
}

interface ParsedWorkflow {
  file: string;
  platform: Platform;
  root: YMap;
}

type Loaded = { ok: true; workflow: ParsedWorkflow } | { ok: false; file: string; platform: Platform; errors: ParseError[] };

interface Context {
  byFile: Map<string, Loaded>;
  options: AuditOptions;
  labels: LabelDeclarations;
  /** files being classified, to stop reusable-workflow cycles */
  stack: string[];
}

/** A called workflow's permissions come from its caller (classified there). */
const CALLER_DECIDES: YNode = { kind: 'scalar', line: 0, value: null };
const UNTRUSTED_CODE_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);
const MAX_CALL_DEPTH = 10;
const PINNING = new Set(['runner', 'environment', 'oidc']);

/** Classifies every workflow of a repository. Pure: sources in, report out. */
export function auditWorkflows(sources: WorkflowSource[], options: AuditOptions): AuditResult {
  const byFile = new Map<string, Loaded>();
  for (const source of sources) byFile.set(source.file, loadWorkflow(source));
  const labels: LabelDeclarations = { ...(options.hardwareLabels ? { hardwareLabels: options.hardwareLabels } : {}), ...(options.placementLabels ? { placementLabels: options.placementLabels } : {}) };
  const context: Context = { byFile, options, labels, stack: [] };
  const workflows = [...byFile.values()].map((loaded) => (loaded.ok ? classifyWorkflow(loaded.workflow, context) : invalidReport(loaded)));
  addCallerNotes(workflows);
  const summary = Object.fromEntries(CLASS_ORDER.map((cls) => [cls, 0])) as Record<WorkflowClass, number>;
  for (const workflow of workflows) summary[workflow.class]++;
  const notes = [...(options.notes ?? [])];
  if (options.directories.length === 0) notes.push('no workflow directory (.github/workflows, .forgejo/workflows, .gitea/workflows): nothing to classify');
  else if (workflows.length === 0) notes.push(`no workflow files (*.yml, *.yaml) in ${options.directories.join(', ')}`);
  return { root: options.root, directories: options.directories, workflows, summary, notes };
}

/** Parses a workflow file and checks its shape: a file that does not parse is `invalid`, never skipped. */
export function loadWorkflow(source: WorkflowSource): Loaded {
  if (source.readError !== undefined) return { ok: false, file: source.file, platform: source.platform, errors: [{ message: source.readError }] };
  const tree = parseYamlTree(source.text);
  if (!tree.ok) return { ok: false, file: source.file, platform: source.platform, errors: tree.errors };
  const errors = validateShape(tree.root);
  if (errors.length > 0 || tree.root.kind !== 'map') return { ok: false, file: source.file, platform: source.platform, errors };
  return { ok: true, workflow: { file: source.file, platform: source.platform, root: tree.root } };
}

function validateShape(root: YNode): ParseError[] {
  if (isNull(root)) return [{ message: 'empty file: not a workflow', line: 1 }];
  if (root.kind !== 'map') return [{ message: 'not a workflow: the top level is not a mapping', line: root.line }];
  const errors: ParseError[] = [];
  if (onNode(root) === undefined) errors.push({ message: 'no `on:` (the events that trigger the workflow)', line: 1 });
  const jobs = get(root, 'jobs');
  if (jobs === undefined) errors.push({ message: 'no `jobs:`', line: 1 });
  else if (jobs.kind !== 'map' || jobs.entries.length === 0) errors.push({ message: '`jobs:` must be a mapping of job ids to jobs', line: jobs.line });
  else {
    for (const { key, line, value: job } of jobs.entries) {
      if (job.kind !== 'map') {
        errors.push({ message: `job "${key}" is not a mapping`, line });
        continue;
      }
      if (get(job, 'uses') === undefined && get(job, 'runs-on') === undefined) errors.push({ message: `job "${key}" has neither \`runs-on:\` nor \`uses:\``, line });
      const steps = get(job, 'steps');
      if (steps === undefined) continue;
      if (steps.kind !== 'seq') {
        errors.push({ message: `job "${key}": \`steps:\` must be a list`, line: steps.line });
        continue;
      }
      steps.items.forEach((step, index) => {
        if (step.kind !== 'map') errors.push({ message: `job "${key}", step ${index + 1}: not a mapping`, line: step.line });
        else if (get(step, 'run') === undefined && get(step, 'uses') === undefined) {
          errors.push({ message: `job "${key}", step ${index + 1}: neither \`run:\` nor \`uses:\``, line: step.line });
        }
      });
    }
  }
  return errors;
}

/** `on:`; a file declaring YAML 1.1 turns the key into `true`. */
function onNode(root: YNode): YNode | undefined {
  return get(root, 'on') ?? get(root, 'true');
}

function invalidReport(loaded: Extract<Loaded, { ok: false }>): WorkflowReport {
  const first = loaded.errors[0];
  return {
    file: loaded.file,
    platform: loaded.platform,
    class: 'invalid',
    triggers: [],
    reasons: loaded.errors.map((error) => `${error.line !== undefined ? `line ${error.line}: ` : ''}${error.message}`),
    notes: first ? [] : ['the file could not be read as a workflow'],
    move: [],
    jobs: [],
    flags: [],
    errors: loaded.errors,
  };
}

// ---- workflows -------------------------------------------------------------

function triggersOf(root: YMap): { names: string[]; crons: string[] } {
  const on = onNode(root);
  if (on === undefined) return { names: [], crons: [] };
  if (on.kind === 'scalar') return { names: on.value === null ? [] : [String(on.value)], crons: [] };
  if (on.kind === 'seq') return { names: on.items.map(str).filter((name): name is string => name !== undefined), crons: [] };
  const crons: string[] = [];
  const schedule = get(on, 'schedule');
  if (schedule?.kind === 'seq') for (const item of schedule.items) {
    const cron = str(get(item, 'cron'));
    if (cron !== undefined) crons.push(cron);
  }
  return { names: on.entries.map((entry) => entry.key), crons };
}

interface WorkflowScope {
  workflow: ParsedWorkflow;
  triggers: string[];
  /** workflow-level signals every job gets */
  shared: Signal[];
  /** a caller's effective permissions, when classified as a called workflow */
  inheritedPermissions?: YNode;
  flags: Flag[];
}

function classifyWorkflow(workflow: ParsedWorkflow, context: Context, inheritedPermissions?: YNode): WorkflowReport {
  const { root } = workflow;
  const { names: triggers, crons } = triggersOf(root);
  context.stack.push(workflow.file);
  try {
    const scope: WorkflowScope = { workflow, triggers, shared: workflowSecretSignals(root), flags: [], ...(inheritedPermissions ? { inheritedPermissions } : {}) };
    const jobsNode = get(root, 'jobs') as YMap;
    const notes = triggerNotes(triggers, crons, workflow.platform);
    const defaultTokenJobs: string[] = [];
    const jobs = jobsNode.entries.map(({ key, line, value }) => {
      const job = classifyJob(key, line, value as YMap, scope, context);
      if (job.tokenDefault) defaultTokenJobs.push(key);
      return job.report;
    });
    // a called workflow's token is its caller's (the workflow_call note says so)
    if (defaultTokenJobs.length > 0 && inheritedPermissions === undefined && !triggers.includes('workflow_call')) {
      const which = defaultTokenJobs.length === jobs.length ? 'no job declares' : `job${defaultTokenJobs.length > 1 ? 's' : ''} ${defaultTokenJobs.join(', ')} declare${defaultTokenJobs.length > 1 ? '' : 's'} no`;
      notes.push(
        workflow.platform === 'github'
          ? `${which} \`permissions:\`: the token gets the repository's default permissions (read-only or read/write, a setting the file does not show); declare \`permissions: contents: read\` to make it certain`
          : `${which} \`permissions:\`: the automatic token's access comes from the instance's and repository's settings, which the file does not show`,
      );
    }
    const cls = workflowClass(jobs);
    const report: WorkflowReport = {
      file: workflow.file,
      platform: workflow.platform,
      ...(str(get(root, 'name')) !== undefined ? { name: str(get(root, 'name'))! } : {}),
      class: cls,
      triggers,
      reasons: workflowReasons(cls, jobs),
      notes,
      move: cls === 'needs-split' ? movesOf(jobs) : [],
      jobs,
      flags: scope.flags,
    };
    if (cls === 'needs-split') report.notes.push(...dependencyNotes(jobsNode, jobs));
    return report;
  } finally {
    context.stack.pop();
  }
}

function workflowClass(jobs: JobReport[]): TrustClass {
  if (jobs.every((job) => job.class === 'external-safe')) return 'external-safe';
  if (jobs.every((job) => job.class === 'local-only')) return 'local-only';
  return 'needs-split';
}

function workflowReasons(cls: TrustClass, jobs: JobReport[]): string[] {
  const ids = (wanted: TrustClass) => jobs.filter((job) => job.class === wanted).map((job) => job.id);
  const list = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
  switch (cls) {
    case 'external-safe':
      return [];
    case 'local-only':
      return [jobs.length === 1 ? `its only job ${list(ids('local-only'))} is local-only` : `all ${jobs.length} jobs are local-only`];
    case 'needs-split': {
      const reasons: string[] = [];
      const local = ids('local-only');
      const split = ids('needs-split');
      const safe = ids('external-safe');
      if (local.length) reasons.push(`local-only job${local.length > 1 ? 's' : ''} ${list(local)}`);
      if (split.length) reasons.push(`job${split.length > 1 ? 's' : ''} ${list(split)} mix${split.length > 1 ? '' : 'es'} external-safe and local-only steps`);
      if (safe.length) reasons.push(`external-safe job${safe.length > 1 ? 's' : ''} ${list(safe)}`);
      return reasons;
    }
  }
}

function movesOf(jobs: JobReport[]): MoveItem[] {
  return jobs.flatMap((job): MoveItem[] => {
    if (job.class === 'local-only') return [{ job: job.id }];
    if (job.class === 'needs-split') return [{ job: job.id, steps: job.move ?? [] }];
    return [];
  });
}

/** In a split, `needs:` between a job that stays and one that moves must be handed over. */
function dependencyNotes(jobsNode: YMap, jobs: JobReport[]): string[] {
  const classOf = new Map(jobs.map((job) => [job.id, job.class]));
  const notes: string[] = [];
  for (const { key, value } of jobsNode.entries) {
    const needsNode = get(value, 'needs');
    const needs = needsNode?.kind === 'seq' ? needsNode.items.map(str).filter((need): need is string => need !== undefined) : str(needsNode) !== undefined ? [str(needsNode)!] : [];
    for (const need of needs) {
      const mine = classOf.get(key);
      const theirs = classOf.get(need);
      if (mine === 'external-safe' && theirs === 'local-only') {
        notes.push(`job "${key}" stays but needs "${need}", which would move: hand its results over (an artifact, or a workflow_run trigger)`);
      } else if (mine === 'local-only' && theirs !== undefined && theirs !== 'local-only') {
        notes.push(`job "${key}" would move but needs "${need}", which stays: the local workflow must rebuild it or fetch its artifacts`);
      }
    }
  }
  return notes;
}

function triggerNotes(triggers: string[], crons: string[], platform: Platform): string[] {
  const notes: string[] = [];
  if (triggers.includes('pull_request_target')) {
    notes.push('triggered by pull_request_target: runs in the base repository with its secrets and a read/write token, also for pull requests from forks');
  }
  if (triggers.includes('workflow_run')) {
    notes.push('triggered by workflow_run: runs with secrets and the token after a workflow that may have run untrusted code; treat its artifacts as untrusted');
  }
  if (triggers.includes('schedule')) {
    notes.push(`runs on a schedule${crons.length ? ` (${crons.map((cron) => `"${cron}"`).join(', ')})` : ''}: unattended, on the default branch${platform === 'github' ? '; forks do not run it' : ''}`);
  }
  if (triggers.includes('workflow_call')) notes.push('reusable workflow (on: workflow_call): it runs with its caller\'s secrets and permissions');
  return notes;
}

/** Secrets in the workflow's own env and defaults: every job gets them. */
function workflowSecretSignals(root: YMap): Signal[] {
  const signals: Signal[] = [];
  for (const { key, value } of root.entries) {
    if (['on', 'true', 'jobs', 'permissions', 'name'].includes(key)) continue;
    for (const refs of groupRefs(value, key)) {
      signals.push({ kind: 'secrets', scope: 'workflow', message: `uses ${refs.names} in the workflow's ${key} (every job gets it)`, line: refs.line });
    }
  }
  return signals;
}

// ---- jobs ------------------------------------------------------------------

interface StepView {
  node: YNode;
  index: number;
  label: string;
  line: number;
  uses?: string;
  run?: string;
  inputs: Record<string, string>;
  signals: Signal[];
}

function classifyJob(id: string, line: number, job: YMap, scope: WorkflowScope, context: Context): { report: JobReport; tokenDefault: boolean } {
  const name = str(get(job, 'name'));
  const base = { id, ...(name !== undefined ? { name } : {}), line };
  const uses = str(get(job, 'uses'));
  // a called workflow does not see the caller's env: the workflow-level secrets stay behind
  const signals: Signal[] = uses === undefined ? [...scope.shared] : [];
  const notes: string[] = [];

  // permissions: the job's own replace the workflow's; a called workflow inherits its caller's
  const ownPermissions = get(job, 'permissions') ?? get(scope.workflow.root, 'permissions');
  const permissions = ownPermissions ?? scope.inheritedPermissions;
  const fromWorkflow = get(job, 'permissions') === undefined && get(scope.workflow.root, 'permissions') !== undefined;
  if (permissions !== undefined) signals.push(...permissionSignals(permissions, fromWorkflow ? 'workflow' : 'job'));
  else if (scope.triggers.includes('pull_request_target')) {
    signals.push({ kind: 'permissions', scope: 'job', line, message: 'has a read/write token: pull_request_target grants one when no `permissions:` restricts it' });
  }
  const tokenDefault = permissions === undefined && !scope.triggers.includes('pull_request_target');

  if (uses !== undefined) {
    const call = classifyCall(uses, job, context, { id, flags: scope.flags });
    signals.push(...call.signals);
    notes.push(...call.notes);
    const reasons = unique(signals.map((signal) => signal.message));
    return { report: { ...base, class: reasons.length ? 'local-only' : 'external-safe', reasons, notes, calls: uses, signals: dedupe(signals) }, tokenDefault };
  }

  // runner
  const runner = classifyRunsOn(get(job, 'runs-on'), get(job, 'strategy'), context.labels);
  const runsOnLine = entryLine(job, 'runs-on') ?? line;
  // placement is reported, never counted as a need: only capabilities pin a job to its runner
  if (runner.type === 'capability') signals.push({ kind: 'runner', scope: 'job', line: runsOnLine, message: runner.message });
  else if (runner.type === 'unknown') notes.push(runner.message);
  const reading = 'rules' in runner ? { ...(runner.type !== 'hosted' ? { placement: runner.message.replace(/^runs (?:on|in) /, '').replace(/ today(?= |$)/, '').replace(/, needing .*$/, '') } : {}), labels: runner.rules } : undefined;
  const nonHosted = 'rules' in runner ? runner.rules.filter((rule) => rule.role !== 'hosted').map((rule) => rule.label) : [];
  const groupNamed = runner.type === 'placed' && runner.group !== undefined;
  if (context.options.visibility === 'public' && (nonHosted.length > 0 || groupNamed)) {
    scope.flags.push({
      rule: 'self-hosted-public',
      level: 'error',
      job: id,
      line: runsOnLine,
      message: `job "${id}" of a public repository targets self-hosted runners (${nonHosted.map((label) => `"${label}"`).join(', ') || 'a runner group'}): a fork's pull request can run code on them`,
    });
  }
  const container = get(job, 'container');
  const options = str(get(container, 'options'));
  if (options !== undefined) {
    const device = /--gpus(?:[\s=]\S+)?|--device(?:[\s=]\S+)?/.exec(options);
    if (device) signals.push({ kind: 'runner', scope: 'job', line: entryLine(job, 'container'), message: `container asks for host devices (${device[0]}): needs particular hardware` });
    if (/--privileged\b/.test(options)) notes.push('container runs --privileged: many external runners refuse privileged containers');
  }

  // services and containers that mount what only the host has
  for (const volume of hostVolumes(job)) signals.push({ kind: 'host', scope: 'job', line: volume.line, message: `mounts the host path ${volume.path} into ${volume.where}` });

  // environment
  const environment = get(job, 'environment');
  if (environment !== undefined && !isNull(environment)) {
    const envName = str(environment) ?? str(get(environment, 'name')) ?? '(computed)';
    signals.push({ kind: 'environment', scope: 'job', line: entryLine(job, 'environment'), message: `uses environment "${envName}" (its secrets and protection rules)` });
  }

  // secrets anywhere in the job outside its steps
  for (const { key, value } of job.entries) {
    if (['steps', 'permissions', 'runs-on', 'name'].includes(key)) continue;
    for (const refs of groupRefs(value, key)) {
      signals.push({ kind: 'secrets', scope: 'job', line: refs.line, message: `uses ${refs.names} in the job's ${refs.where}` });
    }
  }

  // steps
  const steps = stepViews(get(job, 'steps'), context.options.scripts);
  const untrusted = scope.triggers.filter((trigger) => UNTRUSTED_CODE_TRIGGERS.has(trigger));
  for (const step of steps) {
    signals.push(...step.signals);
    if (untrusted.length > 0) {
      const head = checksOutPullRequestHead(step.uses, step.inputs, step.run);
      if (head) {
        const message = `step "${step.label}" checks out untrusted code (${head}) in a ${untrusted.join('/')} workflow, which has secrets and a write token: a "pwn request"; build untrusted code in a pull_request workflow instead`;
        notes.push(`danger: ${message}`);
        scope.flags.push({ rule: 'dangerous-checkout', level: 'error', job: id, step: step.label, line: step.line, message });
      }
    }
    const spliced = untrustedExpressions(step.run ?? (step.uses !== undefined && /^actions\/github-script/i.test(step.uses.trim()) ? (step.inputs.script ?? '') : ''));
    if (spliced.length > 0) {
      scope.flags.push({
        rule: 'template-injection',
        level: 'error',
        job: id,
        step: step.label,
        line: entryLine(step.node, step.run !== undefined ? 'run' : 'with') ?? step.line,
        message: `step "${step.label}" splices text an outsider controls into its script (${spliced.join(', ')}): pass it through env: and quote "$VAR" instead`,
      });
    }
  }

  const reasons = unique(signals.map((signal) => signal.message));
  const report: JobReport = { ...base, class: 'external-safe', reasons, notes, signals: dedupe(signals), ...(reading ? { runner: reading } : {}) };
  if (reasons.length === 0) {
    const lane = context.options.laneLabel?.trim().toLowerCase();
    if (lane !== undefined && reading?.labels.some((rule) => rule.label.trim().toLowerCase() === lane)) {
      // already on the external lane: nothing to move (and not the team's runner)
      notes.push(`on the external lane "${context.options.laneLabel}"`);
    } else if (reading?.placement !== undefined) {
      report.movable = true;
      notes.push(`movable: runs on ${reading.placement} today; needs nothing only that runner has`);
    }
    return { report, tokenDefault };
  }

  // needs-split: local-only evidence sits only in some steps, other steps do real work. A capability
  // of the runner, an environment (its approvals and secrets gate the whole job) and OIDC (the
  // token is the job's) stay with the job: moving a step out does not take them along.
  const pinned = signals.some((signal) => PINNING.has(signal.kind) && signal.scope !== 'step');
  const flagged = steps.filter((step) => step.signals.length > 0);
  const independent = steps.filter((step) => step.signals.length === 0 && !(step.uses !== undefined && isSetupAction(step.uses)));
  if (!pinned && flagged.length > 0 && independent.length > 0) {
    report.class = 'needs-split';
    report.move = flagged.map((step) => step.label);
    const carried = unique(signals.filter((signal) => signal.scope !== 'step').map((signal) => signal.message));
    if (carried.length > 0) notes.push(`the moved steps take with them what the whole job has now: ${carried.join('; ')}`);
  } else report.class = 'local-only';
  return { report, tokenDefault };
}

function stepViews(stepsNode: YNode | undefined, scripts: Record<string, string> | undefined): StepView[] {
  if (stepsNode?.kind !== 'seq') return [];
  return stepsNode.items.map((step, index) => {
    const uses = str(get(step, 'uses'));
    const run = str(get(step, 'run'));
    const withNode = get(step, 'with');
    const inputs: Record<string, string> = {};
    if (withNode?.kind === 'map') for (const entry of withNode.entries) inputs[entry.key] = str(entry.value) ?? '';
    const label = stepLabel(step, index, uses, run);
    const signals: Signal[] = [];
    for (const refs of groupRefs(step, undefined)) {
      signals.push({ kind: 'secrets', scope: 'step', step: label, line: refs.line, message: `uses ${refs.names} in step "${label}"` });
    }
    const findings: StepFinding[] = [...(uses !== undefined ? scanAction(uses, inputs) : []), ...(run !== undefined ? scanScript(run) : [])];
    const findingLine = entryLine(step, run !== undefined ? 'run' : 'uses') ?? step.line;
    for (const finding of findings) {
      signals.push({ kind: finding.kind, scope: 'step', step: label, line: findingLine, message: `${finding.what} (${finding.evidence}) in step "${label}"` });
    }
    // a step is what the repository scripts it calls do, as far as they can be read
    for (const path of run !== undefined ? scriptPathsIn(run) : []) {
      const text = scripts?.[path];
      if (text === undefined) continue;
      for (const finding of scanScript(text)) {
        signals.push({ kind: finding.kind, scope: 'step', step: label, line: findingLine, message: `${finding.what} (${finding.evidence}, in ${path}) in step "${label}"` });
      }
    }
    return { node: step, index, label, line: step.line, ...(uses !== undefined ? { uses } : {}), ...(run !== undefined ? { run } : {}), inputs, signals };
  });
}

function stepLabel(step: YNode, index: number, uses: string | undefined, run: string | undefined): string {
  const name = str(get(step, 'name'));
  if (name !== undefined && name.trim() !== '') return name.trim();
  if (uses !== undefined) return uses.trim();
  const first = run?.split('\n').find((line) => line.trim() !== '')?.trim();
  if (first) return first.length > 40 ? `${first.slice(0, 39)}…` : first;
  return `#${index + 1}`;
}

/** Write permissions and OIDC, from a `permissions:` value. */
function permissionSignals(node: YNode, origin: 'workflow' | 'job'): Signal[] {
  const prefix = origin === 'workflow' ? 'workflow permissions' : 'permissions';
  const scalar = str(node);
  if (scalar !== undefined) {
    if (scalar.trim().toLowerCase() === 'write-all') {
      return [{ kind: 'permissions', scope: 'job', line: node.line, message: `${prefix}: write-all lets the token write everywhere (and request an OIDC token)` }];
    }
    return [];
  }
  if (node.kind !== 'map') return [];
  const signals: Signal[] = [];
  const writes = node.entries.filter((entry) => str(entry.value)?.trim().toLowerCase() === 'write');
  const oidc = writes.find((entry) => entry.key === 'id-token');
  const others = writes.filter((entry) => entry.key !== 'id-token');
  if (others.length > 0) {
    signals.push({ kind: 'permissions', scope: 'job', line: others[0]!.line, message: `${prefix} grant write access: ${others.map((entry) => `${entry.key}: write`).join(', ')}` });
  }
  if (oidc) signals.push({ kind: 'oidc', scope: 'job', line: oidc.line, message: `requests an OIDC token (${origin === 'workflow' ? 'workflow ' : ''}id-token: write) to assume cloud or registry identities` });
  return signals;
}

// ---- reusable workflow calls ----------------------------------------------

function classifyCall(uses: string, job: YMap, context: Context, caller: { id: string; flags: Flag[] }): { signals: Signal[]; notes: string[] } {
  const signals: Signal[] = [];
  const notes: string[] = [];
  const line = entryLine(job, 'uses');
  const secrets = get(job, 'secrets');
  const inherits = str(secrets)?.trim() === 'inherit';
  if (inherits) {
    signals.push({ kind: 'secrets', scope: 'job', line: entryLine(job, 'secrets'), message: `passes all secrets to ${uses} (secrets: inherit)` });
  } else if (secrets?.kind === 'map') {
    for (const refs of groupRefs(secrets, 'secrets')) signals.push({ kind: 'secrets', scope: 'job', line: refs.line, message: `passes ${refs.names} to ${uses}` });
  }
  for (const refs of groupRefs(get(job, 'with'), 'with')) signals.push({ kind: 'secrets', scope: 'job', line: refs.line, message: `passes ${refs.names} as an input to ${uses}` });

  const local = uses.trim().startsWith('./');
  if (!local) {
    notes.push(`calls ${uses} from another repository: its jobs are not visible here, so the job is classified from the call alone (secrets passed, permissions)`);
    return { signals, notes };
  }
  const file = uses.trim().slice(2).replace(/@.*$/, '');
  const callee = context.byFile.get(file);
  if (callee === undefined) {
    notes.push(`calls ${uses}, which is not among the workflow files: its jobs are unknown`);
  } else if (!callee.ok) {
    notes.push(`calls ${uses}, which does not parse: its jobs are unknown`);
  } else if (context.stack.includes(file) || context.stack.length >= MAX_CALL_DEPTH) {
    notes.push(`calls ${uses} recursively: not followed again`);
  } else {
    // the caller's permissions are already the call's own evidence; the marker only says
    // "decided by the caller" so the callee's jobs do not repeat them
    const called = classifyWorkflow(callee.workflow, context, CALLER_DECIDES);
    if (inherits) {
      const lane = context.options.laneLabel?.toLowerCase();
      const onLane = lane === undefined ? [] : called.jobs.filter((calledJob) => calledJob.runner?.labels.some((rule) => rule.label.toLowerCase() === lane));
      const movable = called.jobs.filter((calledJob) => calledJob.class === 'external-safe');
      if (onLane.length > 0 || movable.length > 0) {
        const names = (onLane.length > 0 ? onLane : movable).map((calledJob) => `"${calledJob.id}"`).join(', ');
        caller.flags.push({
          rule: 'secrets-inherit',
          level: onLane.length > 0 ? 'error' : 'warning',
          job: caller.id,
          line: entryLine(job, 'secrets'),
          message:
            onLane.length > 0
              ? `job "${caller.id}" passes every secret (secrets: inherit) to ${uses}, whose job${onLane.length > 1 ? 's' : ''} ${names} run${onLane.length > 1 ? '' : 's'} on the external lane "${context.options.laneLabel}"`
              : `job "${caller.id}" passes every secret (secrets: inherit) to ${uses}, whose job${movable.length > 1 ? 's' : ''} ${names} need${movable.length > 1 ? '' : 's'} none and could run on an external lane: pass only the secrets it uses`,
        });
      }
    }
    for (const calledJob of called.jobs) {
      // calls the callee makes in turn (remote, missing, recursive) stay visible
      for (const note of calledJob.notes) if (note.startsWith('calls ')) notes.push(`via ${uses}: ${note}`);
      if (calledJob.class === 'external-safe') continue;
      const shown = calledJob.reasons.slice(0, 3).join('; ') + (calledJob.reasons.length > 3 ? '; …' : '');
      signals.push({ kind: 'reusable', scope: 'job', line, message: `calls ${uses}, whose job "${calledJob.id}" is ${calledJob.class}: ${shown}` });
    }
  }
  return { signals, notes };
}

/** A note on each called workflow naming its callers. */
function addCallerNotes(workflows: WorkflowReport[]): void {
  const byFile = new Map(workflows.map((workflow) => [workflow.file, workflow]));
  for (const caller of workflows) {
    for (const job of caller.jobs) {
      if (!job.calls?.trim().startsWith('./')) continue;
      const callee = byFile.get(job.calls.trim().slice(2).replace(/@.*$/, ''));
      callee?.notes.push(`called by ${caller.file} (job "${job.id}"), which decides its secrets and permissions`);
    }
  }
}

// ---- shared helpers --------------------------------------------------------

/** Host paths bind-mounted into the job's container or services (`/srv/x:/x`, the Docker socket). */
function hostVolumes(job: YMap): { path: string; where: string; line: number }[] {
  const found: { path: string; where: string; line: number }[] = [];
  const scan = (node: YNode | undefined, where: string) => {
    const volumes = get(node, 'volumes');
    if (volumes?.kind === 'seq') for (const item of volumes.items) {
      const text = str(item);
      const host = text?.split(':')[0];
      if (host !== undefined && host.startsWith('/')) found.push({ path: host, where, line: item.line });
    }
    for (const match of (str(get(node, 'options')) ?? '').matchAll(/(?:-v|--volume)[\s=]+(\/[^:\s]+):/g)) found.push({ path: match[1]!, where, line: get(node, 'options')!.line });
  };
  scan(get(job, 'container'), 'the job container');
  const services = get(job, 'services');
  if (services?.kind === 'map') for (const entry of services.entries) scan(entry.value, `service "${entry.key}"`);
  return found;
}

/** Secret references under a node, grouped by where they sit (one sentence per place). */
function groupRefs(node: YNode | undefined, topKey: string | undefined): { names: string; line: number; where: string }[] {
  const groups = new Map<string, { refs: SecretRef[]; line: number }>();
  for (const scalar of scalars(node)) {
    const isCondition = scalar.path.length === 0 ? topKey === 'if' : scalar.path[scalar.path.length - 1] === 'if';
    const refs = secretsInValue(scalar.value, isCondition);
    if (refs.length === 0) continue;
    const where = describeWhere(topKey, scalar.path);
    const group = groups.get(where) ?? { refs: [], line: scalar.line };
    group.refs.push(...refs);
    groups.set(where, group);
  }
  return [...groups.entries()].map(([where, group]) => ({ names: unique(group.refs.map(describeSecretRef)).join(', '), line: group.line, where }));
}

function describeWhere(topKey: string | undefined, path: string[]): string {
  if (topKey === undefined) return 'step';
  switch (topKey) {
    case 'container':
      return path[0] === 'credentials' ? 'container credentials' : 'container';
    case 'services':
      return path[0] !== undefined ? `service "${path[0]}"${path[1] === 'credentials' ? ' credentials' : ''}` : 'services';
    default:
      return topKey;
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function dedupe(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter((signal) => {
    const key = `${signal.scope}\0${signal.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `--fail-on`: the workflows at or beyond the class (files that do not parse always count). */
export function failingWorkflows(result: AuditResult, failOn: WorkflowClass): WorkflowReport[] {
  const threshold = CLASS_ORDER.indexOf(failOn);
  return result.workflows.filter((workflow) => CLASS_ORDER.indexOf(workflow.class) >= threshold);
}

/** The repository scripts the workflows' `run:` steps call, so the app can read them for the classifier. */
export function referencedScripts(sources: WorkflowSource[]): string[] {
  const paths = new Set<string>();
  for (const source of sources) {
    const loaded = loadWorkflow(source);
    if (!loaded.ok) continue;
    const jobs = get(loaded.workflow.root, 'jobs');
    if (jobs?.kind !== 'map') continue;
    for (const { value } of jobs.entries) {
      const steps = get(value, 'steps');
      if (steps?.kind !== 'seq') continue;
      for (const step of steps.items) {
        const run = str(get(step, 'run'));
        if (run !== undefined) for (const path of scriptPathsIn(run)) paths.add(path);
      }
    }
  }
  return [...paths].sort();
}
