import { createTwoFilesPatch } from 'diff';
import { auditWorkflows, type WorkflowSource } from '../audit/classify.js';
import { describeSecretRef, secretsInValue } from '../audit/expressions.js';
import { isSetupAction } from '../audit/signals.js';
import type { AuditOptions, AuditResult, JobReport, WorkflowReport } from '../audit/types.js';
import { get, parseYamlTree, scalars, str, type YMap, type YNode } from '../audit/yaml-tree.js';
import { editOriginal, renderPilotWorkflow } from './pilot-yaml.js';

/**
 * The pilot external lane: for one job that needs nothing only the team's runner has
 * (a movable or external-safe job, or the external-safe steps of a needs-split job),
 * the smallest change that runs it on the lane for pull requests, and the proof that
 * the change keeps the trust boundary (the changed files re-audited). Pure: sources
 * in, the plan with its files and unified diff out; writing is the app's.
 */
export interface PilotRequest {
  /** the lane's `runs-on` label */
  laneLabel: string;
  /** `lint`, or `ci.yml:lint` / `.github/workflows/ci.yml:lint` when ids repeat; absent: the best candidate */
  job?: string;
}

/** movable: on the team's runners today, needs nothing of them; split: the external-safe steps of a needs-split job */
export type PilotKind = 'movable' | 'external-safe' | 'split';

export interface PilotCandidate {
  file: string;
  job: string;
  kind: PilotKind;
  /** the steps that run on the lane */
  steps: string[];
  /** split: the steps that stay on the local runner */
  stays: string[];
}

export interface PilotChange {
  path: string;
  action: 'create' | 'modify';
  /** absent when created */
  before?: string;
  after: string;
}

export interface Reaudit {
  ok: boolean;
  /** what broke the boundary or lost something, one sentence each */
  problems: string[];
  /** the pilot workflow's class as re-audited */
  pilotClass?: string;
}

export type PilotStatus = 'ready' | 'refused' | 'invalid-request';

export interface PilotPlan {
  status: PilotStatus;
  /** refused / invalid-request: why, in one sentence */
  reason?: string;
  laneLabel: string;
  candidate?: PilotCandidate;
  changes: PilotChange[];
  /** the changes as one unified diff (git's a/ b/ prefixes) */
  diff: string;
  reaudit?: Reaudit;
  notes: string[];
  /** the other jobs that could be piloted, `file:job (kind)` */
  alternatives: string[];
}

const PULL_REQUEST_ONLY = ['pull_request'];

/** Plans (and proves) the pilot. `audit` may be passed when the caller already has it. */
export function planPilot(sources: WorkflowSource[], options: AuditOptions, request: PilotRequest, audit: AuditResult = auditWorkflows(sources, options)): PilotPlan {
  const base = { laneLabel: request.laneLabel, changes: [] as PilotChange[], diff: '', notes: [] as string[] };
  const lane = request.laneLabel.trim();
  if (lane === '' || /[\s${}]/.test(lane)) return { ...base, status: 'invalid-request', reason: `"${request.laneLabel}" is not a runner label`, alternatives: [] };
  const ranked = rankCandidates(audit, sources);
  const alternatives = ranked.filter((item) => item.candidate).map((item) => `${item.workflow.file}:${item.job.id} (${item.candidate!.kind})`);

  let chosen: Ranked | undefined;
  if (request.job === undefined) {
    chosen = ranked.find((item) => item.candidate && item.auto);
    if (!chosen) {
      return {
        ...base,
        status: 'refused',
        reason: 'no job can be piloted: none is movable (external-safe on the team\'s runners) or needs-split with external-safe steps',
        alternatives,
      };
    }
  } else {
    const matches = findJob(ranked, request.job);
    if (matches.length === 0) return { ...base, status: 'invalid-request', reason: `no job "${request.job}" in the workflows`, alternatives };
    if (matches.length > 1) {
      return { ...base, status: 'invalid-request', reason: `job "${request.job}" is in ${matches.length} workflows: name one as FILE:JOB (${matches.map((item) => `${item.workflow.file}:${item.job.id}`).join(', ')})`, alternatives };
    }
    chosen = matches[0]!;
    if (!chosen.candidate) return { ...base, status: 'refused', reason: `${chosen.workflow.file}:${chosen.job.id} may not be piloted: ${chosen.refusal}`, alternatives };
  }

  const candidate = chosen.candidate!;
  const source = sources.find((item) => item.file === chosen!.workflow.file)!;
  const built = buildChanges(source, chosen.workflow, chosen.job, candidate, lane, sources);
  const changes = built.changes;
  const notes = [...built.notes];
  const after = applyChanges(sources, changes);
  const reaudit = verify(audit, auditWorkflows(after, { ...options, laneLabel: lane }), changes, candidate, lane);
  return {
    ...base,
    status: reaudit.ok ? 'ready' : 'refused',
    ...(reaudit.ok ? {} : { reason: `the pilot failed its re-audit, nothing would be written: ${reaudit.problems.join('; ')}` }),
    candidate,
    changes,
    diff: unifiedDiff(changes),
    reaudit,
    notes,
    alternatives: alternatives.filter((item) => !item.startsWith(`${candidate.file}:${candidate.job} `)),
  };
}

// ---- candidates --------------------------------------------------------------------

interface Ranked {
  workflow: WorkflowReport;
  job: JobReport;
  candidate?: PilotCandidate;
  /** picked without --job (a job already on hosted runners is external already) */
  auto: boolean;
  rank: number;
  refusal?: string;
}

function rankCandidates(audit: AuditResult, sources: WorkflowSource[]): Ranked[] {
  const ranked: Ranked[] = [];
  for (const workflow of audit.workflows) {
    if (workflow.class === 'invalid') continue;
    const tree = jobsOf(sources.find((source) => source.file === workflow.file));
    workflow.jobs.forEach((job) => {
      const node = tree?.entries.find((entry) => entry.key === job.id)?.value;
      const refusal = refuse(workflow, job, node);
      if (refusal !== undefined) {
        ranked.push({ workflow, job, auto: false, rank: 9, refusal });
        return;
      }
      const labels = stepLabels(node);
      const kind: PilotKind = job.class === 'needs-split' ? 'split' : job.movable ? 'movable' : 'external-safe';
      const stays = kind === 'split' ? (job.move ?? []) : [];
      const candidate: PilotCandidate = { file: workflow.file, job: job.id, kind, steps: labels.filter((label) => !stays.includes(label)), stays };
      const dependents = tree ? dependentsOf(tree, job.id).length : 0;
      const needs = get(node, 'needs') !== undefined;
      // the least wiring first: a movable job nothing depends on
      const rank = kind === 'movable' ? (dependents === 0 && !needs ? 0 : 1) : kind === 'split' ? 2 : 3;
      ranked.push({ workflow, job, candidate, auto: kind !== 'external-safe', rank });
    });
  }
  return ranked.sort((a, b) => a.rank - b.rank);
}

function refuse(workflow: WorkflowReport, job: JobReport, node: YNode | undefined): string | undefined {
  if (job.class === 'local-only') return `it is local-only: ${job.reasons.join('; ')}`;
  if (job.calls !== undefined) return 'it calls a reusable workflow: pilot the called workflow\'s jobs instead';
  if (workflow.triggers.includes('workflow_call')) return 'its workflow is reusable (on: workflow_call): it runs with its caller\'s secrets';
  if (node === undefined || node.kind !== 'map') return 'its job could not be read';
  for (const scalar of scalars(node)) {
    if (/\bneeds\s*\.\s*[\w-]+\s*\.\s*(outputs|result)\b/.test(scalar.value)) return 'it reads the outputs of the jobs it needs, which a separate workflow cannot';
  }
  return undefined;
}

function findJob(ranked: Ranked[], wanted: string): Ranked[] {
  const colon = wanted.lastIndexOf(':');
  if (colon > 0) {
    const file = wanted.slice(0, colon);
    const id = wanted.slice(colon + 1);
    return ranked.filter((item) => item.job.id === id && (item.workflow.file === file || item.workflow.file.endsWith(`/${file}`)));
  }
  return ranked.filter((item) => item.job.id === wanted);
}

function jobsOf(source: WorkflowSource | undefined): YMap | undefined {
  if (!source) return undefined;
  const tree = parseYamlTree(source.text);
  if (!tree.ok) return undefined;
  const jobs = get(tree.root, 'jobs');
  return jobs?.kind === 'map' ? jobs : undefined;
}

function needsOf(job: YNode | undefined): string[] {
  const needs = get(job, 'needs');
  if (needs?.kind === 'seq') return needs.items.map(str).filter((need): need is string => need !== undefined);
  const one = str(needs);
  return one === undefined ? [] : [one];
}

function dependentsOf(jobs: YMap, id: string): string[] {
  return jobs.entries.filter((entry) => needsOf(entry.value).includes(id)).map((entry) => entry.key);
}

/** Step labels as the audit names them (name, else uses, else the first line of run). */
function stepLabels(job: YNode | undefined): string[] {
  const steps = get(job, 'steps');
  if (steps?.kind !== 'seq') return [];
  return steps.items.map((step, index) => {
    const name = str(get(step, 'name'));
    if (name !== undefined && name.trim() !== '') return name.trim();
    const uses = str(get(step, 'uses'));
    if (uses !== undefined) return uses.trim();
    const first = str(get(step, 'run'))?.split('\n').find((line) => line.trim() !== '')?.trim();
    if (first) return first.length > 40 ? `${first.slice(0, 39)}…` : first;
    return `#${index + 1}`;
  });
}

// ---- the change ---------------------------------------------------------------------

function buildChanges(source: WorkflowSource, workflow: WorkflowReport, job: JobReport, candidate: PilotCandidate, lane: string, sources: WorkflowSource[]): { changes: PilotChange[]; notes: string[] } {
  const notes: string[] = [];
  const jobs = jobsOf(source)!;
  const node = jobs.entries.find((entry) => entry.key === job.id)!.value;
  const labels = stepLabels(node);
  const dir = source.file.slice(0, source.file.lastIndexOf('/'));
  const path = freePath(dir, `pilot-${slug(job.id)}`, sources);
  const title = `Pilot: ${workflow.name ?? source.file.slice(dir.length + 1)} / ${job.name ?? job.id}`;
  const header = [
    ` Written by \`mirror audit workflows --pilot\` from ${source.file} (job "${job.id}"): it runs on the external lane "${lane}"`,
    ' for pull requests only, with a read-only token, no secrets, no environment, and checkouts that keep no credentials.',
    ` Re-check it with: mirror audit workflows --fail-on local-only`,
  ].join('\n');
  const created = renderPilotWorkflow({ text: source.text, job: job.id, laneLabel: lane, leaveSteps: candidate.stays, stepLabels: labels, header, name: title });
  const changes: PilotChange[] = [{ path, action: 'create', after: created }];

  if (needsOf(node).length > 0) notes.push(`the pilot drops "needs: ${needsOf(node).join(', ')}": on the lane the job runs on its own`);
  const dependents = dependentsOf(jobs, job.id);
  const gateSteps =
    candidate.kind === 'split'
      ? labels.flatMap((label, index) => {
          if (candidate.stays.includes(label)) return [];
          const uses = str(get((get(node, 'steps') as { items: YNode[] }).items[index], 'uses'));
          // check-outs and toolchains stay: the local steps still need them
          return uses !== undefined && isSetupAction(uses) ? [] : [index];
        })
      : undefined;
  const edited = editOriginal({ text: source.text, job: job.id, dependents, ...(gateSteps ? { gateSteps } : {}) });
  if (edited === undefined) {
    notes.push(`${source.file} is not triggered by pull requests: it stays as it is, and the pilot adds pull-request runs on the lane`);
  } else {
    changes.push({ path: source.file, action: 'modify', before: source.text, after: edited });
    if (candidate.kind === 'split') {
      notes.push(`for pull requests the lane runs ${gateSteps!.map((index) => `"${labels[index]}"`).join(', ')} (the checkout and toolchain steps stay on both sides); ${source.file} keeps ${candidate.stays.map((label) => `"${label}"`).join(', ')} on its runner for every event (a kept step that used their results on a pull request must fetch them as an artifact)`);
    } else {
      notes.push(`for pull requests the lane runs "${job.id}"; ${source.file} still runs it on its runner for every other event`);
      if (dependents.length > 0) notes.push(`${dependents.map((id) => `"${id}"`).join(', ')} need${dependents.length > 1 ? '' : 's'} "${job.id}": their \`if:\` lets them run when it is skipped (a pull request), not when it fails`);
    }
  }
  const root = parseYamlTree(source.text);
  if (get(node, 'concurrency') !== undefined || (root.ok && get(root.root, 'concurrency') !== undefined)) notes.push('the pilot has no concurrency group of its own: sharing the original\'s would cancel one with the other');
  return { changes, notes };
}

function freePath(dir: string, stem: string, sources: WorkflowSource[]): string {
  const taken = new Set(sources.map((source) => source.file.toLowerCase()));
  for (let n = 1; ; n++) {
    const path = `${dir}/${stem}${n === 1 ? '' : `-${n}`}.yml`;
    if (!taken.has(path.toLowerCase()) && !taken.has(path.replace(/\.yml$/, '.yaml').toLowerCase())) return path;
  }
}

function slug(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

function applyChanges(sources: WorkflowSource[], changes: PilotChange[]): WorkflowSource[] {
  const byPath = new Map(changes.map((change) => [change.path, change]));
  const platform = sources[0]?.platform ?? 'github';
  const updated = sources.map((source) => (byPath.has(source.file) ? { ...source, text: byPath.get(source.file)!.after } : source));
  for (const change of changes) {
    if (change.action === 'create') updated.push({ file: change.path, platform: sources.find((source) => change.path.startsWith(source.file.slice(0, source.file.lastIndexOf('/') + 1)))?.platform ?? platform, text: change.after });
  }
  return updated;
}

// ---- the proof ----------------------------------------------------------------------

/**
 * The changed files re-audited: the pilot external-safe on the lane, for pull
 * requests only, read-only, no secrets, no environment, credentials not persisted;
 * every workflow it touched keeps its triggers, its jobs and their classes, and the
 * same secrets in the same steps.
 */
export function verify(before: AuditResult, after: AuditResult, changes: PilotChange[], candidate: PilotCandidate, lane: string): Reaudit {
  const problems: string[] = [];
  const created = changes.find((change) => change.action === 'create');
  const pilot = created && after.workflows.find((workflow) => workflow.file === created.path);
  if (!created || !pilot) return { ok: false, problems: ['the pilot workflow is missing from the re-audit'] };
  if (pilot.class !== 'external-safe') {
    const reasons = pilot.jobs.flatMap((job) => job.reasons);
    problems.push(`${pilot.file} is ${pilot.class}${reasons.length ? ` (${reasons.join('; ')})` : pilot.errors ? ` (${pilot.errors.map((error) => error.message).join('; ')})` : ''}`);
  }
  if (pilot.triggers.join() !== PULL_REQUEST_ONLY.join()) problems.push(`${pilot.file} is triggered by ${pilot.triggers.join(', ') || 'nothing'}, not by pull_request alone`);
  for (const flag of pilot.flags) problems.push(`${pilot.file}: ${flag.rule}: ${flag.message}`);
  const job = pilot.jobs.find((item) => item.id === candidate.job);
  if (!job) problems.push(`${pilot.file} has no job "${candidate.job}"`);
  else if (!job.runner?.labels.some((rule) => rule.label === lane)) problems.push(`${pilot.file} job "${candidate.job}" does not run on "${lane}"`);
  problems.push(...shapeProblems(created.path, created.after));

  for (const change of changes) {
    if (change.action !== 'modify') continue;
    const old = before.workflows.find((workflow) => workflow.file === change.path);
    const now = after.workflows.find((workflow) => workflow.file === change.path);
    if (!old || !now) {
      problems.push(`${change.path} is missing from the re-audit`);
      continue;
    }
    if (now.class === 'invalid') problems.push(`${change.path} no longer parses`);
    if (old.triggers.join() !== now.triggers.join()) problems.push(`${change.path}'s triggers changed from ${old.triggers.join(', ')} to ${now.triggers.join(', ')}`);
    for (const oldJob of old.jobs) {
      const newJob = now.jobs.find((item) => item.id === oldJob.id);
      if (!newJob) {
        problems.push(`${change.path} lost job "${oldJob.id}"`);
        continue;
      }
      if (newJob.class !== oldJob.class) problems.push(`${change.path} job "${oldJob.id}" went from ${oldJob.class} to ${newJob.class}`);
      const secrets = (report: JobReport) => report.signals.filter((signal) => signal.kind === 'secrets').map((signal) => `${signal.step ?? ''}\0${signal.message}`).sort().join('\n');
      if (secrets(oldJob) !== secrets(newJob)) problems.push(`${change.path} job "${oldJob.id}" does not keep the same secrets in the same steps`);
    }
    if (now.flags.length > old.flags.length) problems.push(`${change.path} gained a flag: ${now.flags.slice(old.flags.length).map((flag) => flag.message).join('; ')}`);
  }
  return { ok: problems.length === 0, problems, pilotClass: pilot.class };
}

/** What the class alone does not show: the written file's permissions, checkouts and secrets. */
function shapeProblems(path: string, text: string): string[] {
  const tree = parseYamlTree(text);
  if (!tree.ok) return [`${path} does not parse`];
  const problems: string[] = [];
  const permissions = get(tree.root, 'permissions');
  if (permissions?.kind !== 'map' || permissions.entries.length !== 1 || permissions.entries[0]!.key !== 'contents' || str(permissions.entries[0]!.value) !== 'read') {
    problems.push(`${path}: permissions are not exactly contents: read`);
  }
  const jobs = get(tree.root, 'jobs');
  for (const { key, value } of jobs?.kind === 'map' ? jobs.entries : []) {
    if (get(value, 'environment') !== undefined) problems.push(`${path} job "${key}" has an environment`);
    if (get(value, 'permissions') !== undefined) problems.push(`${path} job "${key}" sets its own permissions`);
    const steps = get(value, 'steps');
    for (const step of steps?.kind === 'seq' ? steps.items : []) {
      const uses = str(get(step, 'uses'));
      if (uses !== undefined && /(^|\/)actions\/checkout@/i.test(uses) && str(get(get(step, 'with'), 'persist-credentials')) !== 'false') {
        problems.push(`${path} job "${key}": ${uses} keeps its credentials (persist-credentials is not false)`);
      }
    }
  }
  // any secret but the automatic token, which a pull request's run gets read-only anyway
  for (const scalar of scalars(tree.root)) {
    const refs = secretsInValue(scalar.value, scalar.path[scalar.path.length - 1] === 'if');
    if (refs.length > 0) problems.push(`${path} line ${scalar.line} reads ${refs.map(describeSecretRef).join(', ')}`);
  }
  return problems;
}

/** The changes as one patch, in git's a/ b/ form. */
export function unifiedDiff(changes: PilotChange[]): string {
  return changes
    .map((change) => {
      const patch = createTwoFilesPatch(change.action === 'create' ? '/dev/null' : `a/${change.path}`, `b/${change.path}`, change.before ?? '', change.after, undefined, undefined, { context: 3 });
      // jsdiff starts with an `Index:` / `====` preamble git does not write
      return patch.replace(/^={3,}\n/m, '').replace(/^Index: .*\n/m, '');
    })
    .join('');
}
