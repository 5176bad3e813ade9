import { createTwoFilesPatch } from 'diff';
import { auditWorkflows, type WorkflowSource } from '../audit/classify.js';
import { describeSecretRef, secretsInValue } from '../audit/expressions.js';
import { isSetupAction } from '../audit/signals.js';
import type { AuditOptions, AuditResult, JobReport, WorkflowReport } from '../audit/types.js';
import { get, parseYamlTree, scalars, str, type YMap, type YNode } from '../audit/yaml-tree.js';
import { findHandoff, type StepText } from './handoff.js';
import { editOriginal, renderPilotWorkflow, triggeredByPullRequest, wirePilotJob, type HandoffSpec } from './pilot-yaml.js';
import { parseDocument } from 'yaml';

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
  /** files the lane's steps write that the steps staying local read (default: read from the workflow) */
  artifacts?: string[];
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

/** Where the pilot lives: a workflow of its own, or a job of the original's workflow (a split that hands files over). */
export interface PilotTarget {
  path: string;
  job: string;
  placement: 'workflow' | 'job';
}

/** What a split hands over from the lane to the job that stays. */
export interface PilotHandoff extends HandoffSpec {
  /** why each path is handed over */
  evidence: string[];
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
  /** where the pilot job is (absent when refused before planning) */
  pilot?: PilotTarget;
  handoff?: PilotHandoff;
  /** how to undo the pilot, one step each (empty when nothing would change) */
  rollback: string[];
  notes: string[];
  /** the other jobs that could be piloted, `file:job (kind)` */
  alternatives: string[];
}

const PULL_REQUEST_ONLY = ['pull_request'];

/** Plans (and proves) the pilot. `audit` may be passed when the caller already has it. */
export function planPilot(sources: WorkflowSource[], options: AuditOptions, request: PilotRequest, audit: AuditResult = auditWorkflows(sources, options)): PilotPlan {
  const base = { laneLabel: request.laneLabel, changes: [] as PilotChange[], diff: '', rollback: [] as string[], notes: [] as string[] };
  const lane = request.laneLabel.trim();
  if (lane === '' || /[\s${}]/.test(lane)) return { ...base, status: 'invalid-request', reason: `"${request.laneLabel}" is not a runner label`, alternatives: [] };
  const ranked = rankCandidates(audit, sources, lane);
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
  const built = buildChanges(source, chosen.workflow, chosen.job, candidate, lane, sources, request.artifacts);
  if ('refusal' in built) return { ...base, status: 'refused', reason: `${candidate.file}:${candidate.job} may not be piloted: ${built.refusal}`, candidate, alternatives };
  const changes = built.changes;
  const notes = [...built.notes];
  const after = applyChanges(sources, changes);
  const reaudit = verify(audit, auditWorkflows(after, { ...options, laneLabel: lane }), changes, candidate, lane, built.target);
  return {
    ...base,
    pilot: built.target,
    ...(built.handoff ? { handoff: built.handoff } : {}),
    status: reaudit.ok ? 'ready' : 'refused',
    ...(reaudit.ok ? {} : { reason: `the pilot failed its re-audit, nothing would be written: ${reaudit.problems.join('; ')}` }),
    candidate,
    changes,
    diff: unifiedDiff(changes),
    rollback: rollbackSteps(changes),
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

function rankCandidates(audit: AuditResult, sources: WorkflowSource[], lane: string): Ranked[] {
  const ranked: Ranked[] = [];
  for (const workflow of audit.workflows) {
    if (workflow.class === 'invalid') continue;
    const tree = jobsOf(sources.find((source) => source.file === workflow.file));
    workflow.jobs.forEach((job) => {
      const node = tree?.entries.find((entry) => entry.key === job.id)?.value;
      const refusal = refuse(workflow, job, node, lane);
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

function refuse(workflow: WorkflowReport, job: JobReport, node: YNode | undefined, lane: string): string | undefined {
  if (job.runner?.labels.some((rule) => rule.label.toLowerCase() === lane.toLowerCase())) return `it runs on the lane "${lane}" already`;
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

interface Built {
  changes: PilotChange[];
  notes: string[];
  target: PilotTarget;
  handoff?: PilotHandoff;
}

function buildChanges(source: WorkflowSource, workflow: WorkflowReport, job: JobReport, candidate: PilotCandidate, lane: string, sources: WorkflowSource[], artifacts?: string[]): Built | { refusal: string } {
  const notes: string[] = [];
  const jobs = jobsOf(source)!;
  const node = jobs.entries.find((entry) => entry.key === job.id)!.value;
  const labels = stepLabels(node);
  const stepNodes = (get(node, 'steps') as { items: YNode[] } | undefined)?.items ?? [];
  const dir = source.file.slice(0, source.file.lastIndexOf('/'));
  const dependents = dependentsOf(jobs, job.id);
  const gateSteps =
    candidate.kind === 'split'
      ? labels.flatMap((label, index) => {
          if (candidate.stays.includes(label)) return [];
          const uses = str(get(stepNodes[index], 'uses'));
          // check-outs and toolchains stay: the local steps still need them
          return uses !== undefined && isSetupAction(uses) ? [] : [index];
        })
      : undefined;

  if (candidate.kind === 'split') {
    const handoff = handoffOf(source, node, labels, candidate, artifacts);
    if (handoff !== undefined && triggeredByPullRequest(parseDocument(source.text))) {
      if (get(node, 'strategy') !== undefined) return { refusal: `its local steps read what the lane's steps write (${handoff.evidence.join('; ')}), and it is a matrix job: one hand-over per leg is not wired` };
      const pilotJob = freeJobId(jobs, `pilot-${slug(job.id)}`);
      const spec: HandoffSpec = { artifact: pilotJob, paths: handoff.paths, ...artifactActions(source.platform) };
      const laneSteps = labels.flatMap((label, index) => (candidate.stays.includes(label) ? [] : [index]));
      const firstReader = labels.findIndex((label, index) => candidate.stays.includes(label) && index > Math.min(...gateSteps!));
      const after = wirePilotJob({ text: source.text, job: job.id, pilotJob, laneLabel: lane, laneSteps, split: { gateSteps: gateSteps!, unpackAt: firstReader === -1 ? labels.length : firstReader, handoff: spec } });
      notes.push(
        `the steps that stay read what the lane's steps write: ${handoff.evidence.join('; ')}`,
        `for pull requests job "${pilotJob}" runs ${gateSteps!.map((index) => `"${labels[index]}"`).join(', ')} on the lane and uploads ${handoff.paths.join(', ')} (packed with tar: paths and file modes kept) as artifact "${spec.artifact}"; "${job.id}" needs it, fetches and unpacks them, then runs ${candidate.stays.map((label) => `"${label}"`).join(', ')} on its runner; for every other event "${job.id}" runs every step itself as before`,
        `both jobs are in ${source.file}: \`needs:\` and artifacts wire only the jobs of one workflow run (a separate workflow would need workflow_run, which runs with the repository's secrets on files a pull request produced)`,
        'on pull requests the local steps use files built on the lane: trust them as you trust the change under test; what other events publish is still built on the team\'s runner',
      );
      if (dependents.length > 0) notes.push(`${dependents.map((id) => `"${id}"`).join(', ')} still need${dependents.length > 1 ? '' : 's'} "${job.id}", which still runs for every event`);
      return {
        changes: [{ path: source.file, action: 'modify', before: source.text, after }],
        notes,
        target: { path: source.file, job: pilotJob, placement: 'job' },
        handoff: { ...spec, evidence: handoff.evidence },
      };
    }
    if (handoff !== undefined) notes.push(`the steps that stay read what the lane's steps write (${handoff.evidence.join('; ')}), but ${source.file} does not run for pull requests: the lane's runs hand nothing over`);
  }

  if (candidate.kind !== 'split' && dependents.length > 0 && triggeredByPullRequest(parseDocument(source.text))) {
    // the jobs that need it wait for it and may use its artifacts: keep them in one run
    const reading = dependents.filter((id) => [...scalars(jobs.entries.find((entry) => entry.key === id)!.value)].some((scalar) => new RegExp(String.raw`\bneeds\s*\.\s*${job.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\s*\.\s*outputs\b`).test(scalar.value)));
    if (reading.length > 0) return { refusal: `${reading.map((id) => `"${id}"`).join(', ')} read${reading.length > 1 ? '' : 's'} its outputs, which a skipped job does not set` };
    if (needsOf(node).length > 0) notes.push(`the pilot job drops "needs: ${needsOf(node).join(', ')}": on the lane the job runs on its own`);
    const pilotJob = freeJobId(jobs, `pilot-${slug(job.id)}`);
    const after = wirePilotJob({ text: source.text, job: job.id, pilotJob, laneLabel: lane, laneSteps: labels.map((_, index) => index), dependents });
    const list = dependents.map((id) => `"${id}"`).join(', ');
    notes.push(
      `for pull requests job "${pilotJob}" runs "${job.id}" on the lane; "${job.id}" runs on its runner for every other event`,
      `${list} need${dependents.length > 1 ? '' : 's'} both and run${dependents.length > 1 ? '' : 's'} after whichever ran, not when it failed; artifacts it uploads keep their names`,
      `both jobs are in ${source.file}: \`needs:\` and artifacts wire only the jobs of one workflow run (a separate workflow would need workflow_run, which runs with the repository's secrets on files a pull request produced)`,
    );
    const root = parseYamlTree(source.text);
    if (get(node, 'concurrency') !== undefined || (root.ok && get(root.root, 'concurrency') !== undefined)) notes.push('the pilot job has no concurrency group of its own: sharing the original\'s would cancel one with the other');
    return { changes: [{ path: source.file, action: 'modify', before: source.text, after }], notes, target: { path: source.file, job: pilotJob, placement: 'job' } };
  }

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
  const edited = editOriginal({ text: source.text, job: job.id, dependents, ...(gateSteps ? { gateSteps } : {}) });
  if (edited === undefined) {
    notes.push(`${source.file} is not triggered by pull requests: it stays as it is, and the pilot adds pull-request runs on the lane`);
  } else {
    changes.push({ path: source.file, action: 'modify', before: source.text, after: edited });
    if (candidate.kind === 'split') {
      notes.push(`for pull requests the lane runs ${gateSteps!.map((index) => `"${labels[index]}"`).join(', ')} (the checkout and toolchain steps stay on both sides); ${source.file} keeps ${candidate.stays.map((label) => `"${label}"`).join(', ')} on its runner for every event`);
      notes.push(`nothing to wire: no step that stays reads a file the lane's steps write, as far as the workflow shows (name such files with --artifact PATH and the pilot becomes a job of ${source.file} that hands them over)`);
    } else {
      notes.push(`for pull requests the lane runs "${job.id}"; ${source.file} still runs it on its runner for every other event`);
      if (dependents.length > 0) notes.push(`${dependents.map((id) => `"${id}"`).join(', ')} need${dependents.length > 1 ? '' : 's'} "${job.id}": their \`if:\` lets them run when it is skipped (a pull request), not when it fails`);
    }
  }
  const root = parseYamlTree(source.text);
  if (get(node, 'concurrency') !== undefined || (root.ok && get(root.root, 'concurrency') !== undefined)) notes.push('the pilot has no concurrency group of its own: sharing the original\'s would cancel one with the other');
  return { changes, notes, target: { path, job: job.id, placement: 'workflow' } };
}

/** The files to hand over: named with --artifact, else read from the steps. */
function handoffOf(source: WorkflowSource, node: YNode, labels: string[], candidate: PilotCandidate, artifacts: string[] | undefined): { paths: string[]; evidence: string[] } | undefined {
  if (artifacts && artifacts.length > 0) {
    const paths = [...new Set(artifacts.map((path) => path.trim().replace(/^\.\//, '').replace(/\/+$/, '')).filter((path) => path !== ''))];
    return paths.length ? { paths, evidence: paths.map((path) => `${path} named with --artifact`) } : undefined;
  }
  const root = parseYamlTree(source.text);
  const defaultDir = str(get(get(get(node, 'defaults'), 'run'), 'working-directory')) ?? (root.ok ? str(get(get(get(root.root, 'defaults'), 'run'), 'working-directory')) : undefined);
  const items = (get(node, 'steps') as { items: YNode[] } | undefined)?.items ?? [];
  const texts: StepText[] = items.map((step, index) => {
    const withNode = get(step, 'with');
    const inputs = withNode?.kind === 'map' ? withNode.entries.map((entry) => str(entry.value)).filter((value): value is string => value !== undefined) : [];
    const dir = str(get(step, 'working-directory')) ?? defaultDir;
    const run = str(get(step, 'run'));
    return { label: labels[index]!, ...(run !== undefined ? { run } : {}), inputs, ...(dir !== undefined ? { workingDirectory: dir } : {}) };
  });
  return findHandoff(
    texts.filter((step) => !candidate.stays.includes(step.label)),
    texts.filter((step) => candidate.stays.includes(step.label)),
  );
}

/** The artifact actions each forge runs: Forgejo's runner needs its fork of v4 (the upstream v4 refuses servers other than github.com). */
function artifactActions(platform: WorkflowSource['platform']): { upload: string; download: string } {
  return platform === 'github'
    ? { upload: 'actions/upload-artifact@v4', download: 'actions/download-artifact@v4' }
    : { upload: 'https://code.forgejo.org/forgejo/upload-artifact@v4', download: 'https://code.forgejo.org/forgejo/download-artifact@v4' };
}

function freeJobId(jobs: YMap, stem: string): string {
  const taken = new Set(jobs.entries.map((entry) => entry.key));
  for (let n = 1; ; n++) {
    const id = `${stem}${n === 1 ? '' : `-${n}`}`;
    if (!taken.has(id)) return id;
  }
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
export function verify(before: AuditResult, after: AuditResult, changes: PilotChange[], candidate: PilotCandidate, lane: string, target?: PilotTarget): Reaudit {
  const problems: string[] = [];
  const created = changes.find((change) => change.action === 'create');
  const where: PilotTarget | undefined = target ?? (created ? { path: created.path, job: candidate.job, placement: 'workflow' } : undefined);
  const pilot = where && after.workflows.find((workflow) => workflow.file === where.path);
  const text = where && changes.find((change) => change.path === where.path)?.after;
  if (!where || !pilot || text === undefined) return { ok: false, problems: ['the pilot workflow is missing from the re-audit'] };
  const job = pilot.jobs.find((item) => item.id === where.job);
  let pilotClass: string = pilot.class;
  if (where.placement === 'workflow') {
    if (pilot.class !== 'external-safe') {
      const reasons = pilot.jobs.flatMap((item) => item.reasons);
      problems.push(`${pilot.file} is ${pilot.class}${reasons.length ? ` (${reasons.join('; ')})` : pilot.errors ? ` (${pilot.errors.map((error) => error.message).join('; ')})` : ''}`);
    }
    if (pilot.triggers.join() !== PULL_REQUEST_ONLY.join()) problems.push(`${pilot.file} is triggered by ${pilot.triggers.join(', ') || 'nothing'}, not by pull_request alone`);
    for (const flag of pilot.flags) problems.push(`${pilot.file}: ${flag.rule}: ${flag.message}`);
  } else if (job) {
    // a job of the original's workflow: the job is what must be external-safe, for pull requests only
    pilotClass = job.class;
    if (job.class !== 'external-safe') problems.push(`${pilot.file} job "${where.job}" is ${job.class}${job.reasons.length ? ` (${job.reasons.join('; ')})` : ''}`);
  }
  if (!job) problems.push(`${pilot.file} has no job "${where.job}"`);
  else if (!job.runner?.labels.some((rule) => rule.label === lane)) problems.push(`${pilot.file} job "${where.job}" does not run on "${lane}"`);
  problems.push(...shapeProblems(where, text, candidate));

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
  return { ok: problems.length === 0, problems, pilotClass };
}

/** What the class alone does not show: the pilot's permissions, trigger, checkouts and secrets, and (a job of the original's workflow) its wiring. */
function shapeProblems(where: PilotTarget, text: string, candidate: PilotCandidate): string[] {
  const { path } = where;
  const tree = parseYamlTree(text);
  if (!tree.ok) return [`${path} does not parse`];
  const problems: string[] = [];
  const readOnly = (permissions: YNode | undefined) =>
    permissions?.kind === 'map' && permissions.entries.length === 1 && permissions.entries[0]!.key === 'contents' && str(permissions.entries[0]!.value) === 'read';
  const jobs = get(tree.root, 'jobs');
  const entries = jobs?.kind === 'map' ? jobs.entries : [];
  let scope: YNode = tree.root;
  if (where.placement === 'workflow') {
    if (!readOnly(get(tree.root, 'permissions'))) problems.push(`${path}: permissions are not exactly contents: read`);
  } else {
    const node = entries.find((entry) => entry.key === where.job)?.value;
    if (!node) return [`${path} has no job "${where.job}"`];
    scope = node;
    if (!readOnly(get(node, 'permissions'))) problems.push(`${path} job "${where.job}": permissions are not exactly contents: read`);
    const condition = str(get(node, 'if')) ?? '';
    if (!/^\$\{\{\s*github\.event_name == 'pull_request'(\s|&&)/.test(condition) && !/^\$\{\{\s*github\.event_name == 'pull_request'\s*\}\}$/.test(condition)) problems.push(`${path} job "${where.job}" does not run for pull requests alone (its if: is ${condition || 'absent'})`);
    // a split: the job that stays reads the pilot's files; a whole job: its dependents wait for the pilot
    const needers = candidate.kind === 'split' ? [candidate.job] : entries.filter((entry) => needsOf(entry.value).includes(candidate.job)).map((entry) => entry.key);
    for (const needer of needers) {
      if (!needsOf(entries.find((entry) => entry.key === needer)?.value).includes(where.job)) problems.push(`${path} job "${needer}" does not need "${where.job}"${candidate.kind === 'split' ? ', whose files it reads' : ''}`);
    }
    if (candidate.kind !== 'split') {
      const original = entries.find((entry) => entry.key === candidate.job)?.value;
      if (!/^\$\{\{\s*github\.event_name != 'pull_request'/.test(str(get(original, 'if')) ?? '')) problems.push(`${path} job "${candidate.job}" still runs for pull requests beside "${where.job}"`);
    }
  }
  for (const { key, value } of entries) {
    if (where.placement === 'job' && key !== where.job) continue;
    if (get(value, 'environment') !== undefined) problems.push(`${path} job "${key}" has an environment`);
    if (where.placement === 'workflow' && get(value, 'permissions') !== undefined) problems.push(`${path} job "${key}" sets its own permissions`);
    const steps = get(value, 'steps');
    for (const step of steps?.kind === 'seq' ? steps.items : []) {
      const uses = str(get(step, 'uses'));
      if (uses !== undefined && /(^|\/)actions\/checkout@/i.test(uses) && str(get(get(step, 'with'), 'persist-credentials')) !== 'false') {
        problems.push(`${path} job "${key}": ${uses} keeps its credentials (persist-credentials is not false)`);
      }
    }
  }
  // any secret but the automatic token, which a pull request's run gets read-only anyway
  for (const scalar of scalars(scope)) {
    const refs = secretsInValue(scalar.value, scalar.path[scalar.path.length - 1] === 'if');
    if (refs.length > 0) problems.push(`${path} line ${scalar.line} reads ${refs.map(describeSecretRef).join(', ')}`);
  }
  return problems;
}

/**
 * How to take the pilot back: it is files only (no runner registered, no secret
 * moved, no branch protection touched), so undoing it is undoing the files.
 */
export function rollbackSteps(changes: PilotChange[]): string[] {
  if (changes.length === 0) return [];
  const created = changes.filter((change) => change.action === 'create').map((change) => change.path);
  const modified = changes.filter((change) => change.action === 'modify').map((change) => change.path);
  const undo = [...(modified.length ? [`git restore -- ${modified.join(' ')}`] : []), ...(created.length ? [`rm ${created.join(' ')}`] : [])].join(' && ');
  return [
    `before it is committed: \`${undo}\``,
    `once committed (commit these files alone): \`git revert <that commit>\` restores ${[...modified, ...created].join(', ')} as ${modified.length + created.length > 1 ? 'they were' : 'it was'}`,
    'nothing else to undo: the pilot registers no runner, moves no secret and changes no branch protection; if you made its check required, drop that requirement before reverting, and stop the lane\'s runner when no workflow targets its label',
  ];
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
