import { Document, isMap, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node as YamlNode, type ToStringOptions } from 'yaml';
import { actionName } from '../audit/signals.js';

/**
 * The YAML edits of a pilot, on yaml's Document API so the original file keeps its
 * comments, quoting and layout everywhere the edit does not touch.
 */

const NOT_PULL_REQUEST = "github.event_name != 'pull_request'";
/** a skipped need skips its dependents unless their `if:` has a status function */
const NEED_MAY_BE_SKIPPED = '!cancelled() && !failure()';
/** as close to how people write workflows as the library goes: `[a, b]`, no folding, `pull_request:` */
const OUTPUT: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false, nullStr: '' };

export interface PilotJobSpec {
  /** the original workflow's text */
  text: string;
  job: string;
  laneLabel: string;
  /** the labels of steps that stay behind (a split); empty for a whole job */
  leaveSteps: string[];
  /** the step labels, in order, as the audit named them (to find steps by label) */
  stepLabels: string[];
  /** a header comment for the new file */
  header: string;
  name: string;
}

/** The new workflow: the job (or its external-safe steps) on the lane, for pull requests, read-only. */
export function renderPilotWorkflow(spec: PilotJobSpec): string {
  const original = parseDocument(spec.text);
  const jobNode = original.getIn(['jobs', spec.job], true);
  if (!isMap(jobNode)) throw new Error(`job "${spec.job}" is not a mapping`);
  const job = jobNode.clone() as YAMLMap;
  // the lane's job gets nothing the workflow around it granted or wired
  for (const key of ['needs', 'environment', 'permissions', 'concurrency', 'secrets']) job.delete(key);
  job.set('runs-on', spec.laneLabel);
  const steps = job.get('steps', true);
  if (isSeq(steps)) {
    const leave = new Set(spec.leaveSteps);
    const kept = new YAMLSeq();
    steps.items.forEach((step, index) => {
      if (leave.has(spec.stepLabels[index] ?? '')) return;
      if (isMap(step)) withoutPersistedCredentials(step);
      kept.items.push(step);
    });
    job.set('steps', kept);
  }

  const doc = new Document({}) as Document;
  doc.commentBefore = spec.header;
  doc.set('name', spec.name);
  const on = new YAMLMap();
  on.set('pull_request', pullRequestFilters(original));
  doc.set('on', on);
  doc.set('permissions', doc.createNode({ contents: 'read' }));
  // env and defaults of the workflow: its steps may rely on them (the audit re-checks them for secrets)
  for (const key of ['env', 'defaults']) {
    const value = original.get(key, true);
    if (value !== undefined) doc.set(key, (value as YamlNode).clone());
  }
  const jobs = new YAMLMap();
  jobs.set(spec.job, job);
  doc.set('jobs', jobs);
  return doc.toString(OUTPUT);
}

/** `persist-credentials: false` on a checkout: the lane's disk keeps no token. */
function withoutPersistedCredentials(step: YAMLMap): void {
  const uses = step.get('uses');
  if (typeof uses !== 'string' || !actionName(uses)?.startsWith('actions/checkout')) return;
  const withNode = step.get('with', true);
  if (isMap(withNode)) withNode.set('persist-credentials', false);
  else step.set('with', new Document().createNode({ 'persist-credentials': false }));
}

/** The original's `pull_request` filters (branches, paths, types), or none. */
function pullRequestFilters(original: Document): unknown {
  const on = original.get('on', true) ?? original.get(true as unknown as string, true);
  if (isMap(on)) {
    const value = on.get('pull_request', true);
    if (isMap(value)) return value.clone();
  }
  return new Scalar(null);
}

export function triggeredByPullRequest(original: Document): boolean {
  const on = original.get('on', true);
  if (isScalar(on)) return on.value === 'pull_request';
  if (isSeq(on)) return on.items.some((item) => isScalar(item) && item.value === 'pull_request');
  if (isMap(on)) return on.has('pull_request');
  return false;
}

export interface OriginalEdit {
  text: string;
  job: string;
  /** whole job: skip it for pull requests; split: skip these steps for pull requests */
  gateSteps?: number[];
  /** jobs whose `needs:` include the job */
  dependents: string[];
}

/**
 * The original after the pilot: for pull requests the lane runs the job (or its
 * steps), every other event keeps it where it was. Returns undefined when the
 * workflow is not triggered by pull requests (nothing to change there).
 */
export function editOriginal(edit: OriginalEdit): string | undefined {
  const doc = parseDocument(edit.text);
  if (!triggeredByPullRequest(doc)) return undefined;
  const job = doc.getIn(['jobs', edit.job], true);
  if (!isMap(job)) throw new Error(`job "${edit.job}" is not a mapping`);
  if (edit.gateSteps === undefined) {
    gate(job, NOT_PULL_REQUEST);
    for (const dependent of edit.dependents) {
      const node = doc.getIn(['jobs', dependent], true);
      if (isMap(node) && !hasStatusFunction(node.get('if'))) gate(node, NEED_MAY_BE_SKIPPED);
    }
  } else {
    const steps = job.get('steps', true);
    if (isSeq(steps)) for (const index of edit.gateSteps) {
      const step = steps.items[index];
      if (isMap(step)) gate(step, NOT_PULL_REQUEST);
    }
  }
  return doc.toString({ ...OUTPUT, nullStr: 'null' });
}

/** Adds a condition to a job's or step's `if:` (ANDed with what is there). */
function gate(node: YAMLMap, condition: string): void {
  const current = node.get('if');
  const existing = current === undefined || current === null ? undefined : String(current).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  const value = existing ? `\${{ ${condition} && (${existing}) }}` : `\${{ ${condition} }}`;
  if (node.has('if')) node.set('if', value);
  // right after the first key (`runs-on:`, `name:`, `uses:`), where a reader looks for it
  else node.items.splice(Math.min(1, node.items.length), 0, new Pair(new Scalar('if'), new Scalar(value)));
}

function hasStatusFunction(value: unknown): boolean {
  return typeof value === 'string' && /\b(always|cancelled|failure|success)\s*\(/.test(value);
}

/** The files a split hands over, and the actions that carry them on this forge. */
export interface HandoffSpec {
  /** the artifact's name (one per workflow run) */
  artifact: string;
  /** workspace-relative paths, packed with tar so modes and paths survive */
  paths: string[];
  upload: string;
  download: string;
}

export interface PilotJobEdit {
  /** the original workflow's text */
  text: string;
  job: string;
  /** the new job's id in the same workflow */
  pilotJob: string;
  laneLabel: string;
  /** the step indexes that run on the lane (all of them for a whole job) */
  laneSteps: number[];
  /** a split: the lane's steps the original skips for pull requests, where it unpacks the files, and which files */
  split?: { gateSteps: number[]; unpackAt: number; handoff: HandoffSpec };
  /** a whole job: the jobs that need it, which then need the pilot too */
  dependents?: string[];
}

const ON_PULL_REQUEST = "github.event_name == 'pull_request'";

/**
 * The pilot as a job of the original's workflow, where `needs:` and artifacts reach
 * (they wire only the jobs of one workflow run). It runs on the lane for pull
 * requests with a read-only token.
 *
 * A split whose local steps read what the lane's steps write: the pilot packs the
 * files and uploads them; the original job needs it and, for pull requests, fetches
 * and unpacks them where its moved steps were; for every other event it runs those
 * steps itself. A whole job others need: the original runs for every other event,
 * and its dependents need both, so they wait for (and are gated by) whichever ran,
 * and find its artifacts under the same names.
 */
export function wirePilotJob(edit: PilotJobEdit): string {
  const doc = parseDocument(edit.text);
  const jobs = doc.get('jobs', true);
  const original = doc.getIn(['jobs', edit.job], true);
  if (!isMap(jobs) || !isMap(original)) throw new Error(`job "${edit.job}" is not a mapping`);
  const steps = original.get('steps', true);
  if (!isSeq(steps)) throw new Error(`job "${edit.job}" has no steps`);
  const workspace = hasWorkingDirectoryDefault(doc, original) ? { 'working-directory': '${{ github.workspace }}' } : {};

  // the lane's job: the moving steps (then, for a split, the files packed and uploaded)
  const pilot = original.clone() as YAMLMap;
  for (const key of ['needs', 'environment', 'permissions', 'concurrency', 'secrets', 'outputs']) pilot.delete(key);
  pilot.set('runs-on', edit.laneLabel);
  const name = original.get('name');
  if (typeof name === 'string') pilot.set('name', `${name} (pilot lane)`);
  gate(pilot, ON_PULL_REQUEST);
  // read-only whatever the workflow grants, right under `if:` where a reviewer looks
  const conditionAt = pilot.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === 'if');
  pilot.items.splice(conditionAt + 1, 0, new Pair(new Scalar('permissions'), doc.createNode({ contents: 'read' })));
  const laneSteps = new YAMLSeq();
  for (const index of edit.laneSteps) {
    const step = (steps.items[index] as YamlNode).clone() as YAMLMap;
    if (isMap(step)) withoutPersistedCredentials(step);
    laneSteps.items.push(step);
  }
  const split = edit.split;
  const packed = split ? `${split.handoff.artifact}.tar` : '';
  if (split) {
    const list = split.handoff.paths.map(shellWord).join(' ');
    laneSteps.items.push(doc.createNode({ name: `Pack ${split.handoff.paths.join(', ')} for job "${edit.job}"`, ...workspace, run: `tar -cf ${packed} -- ${list}` }));
    laneSteps.items.push(doc.createNode({ uses: split.handoff.upload, with: { name: split.handoff.artifact, path: packed, 'retention-days': 1, 'if-no-files-found': 'error' } }));
  }
  pilot.set('steps', laneSteps);
  const at = jobs.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === edit.job);
  jobs.items.splice(split ? at : at + 1, 0, new Pair(new Scalar(edit.pilotJob), pilot));

  if (!split) {
    gate(original, NOT_PULL_REQUEST);
    for (const dependent of edit.dependents ?? []) {
      const node = doc.getIn(['jobs', dependent], true);
      if (isMap(node)) needAlso(node, edit.pilotJob, [edit.job]);
    }
    return doc.toString({ ...OUTPUT, nullStr: 'null' });
  }

  // a split's original: its moved steps skip pull requests, the files come from the lane instead
  for (const index of split.gateSteps) {
    const step = steps.items[index];
    if (isMap(step)) gate(step, NOT_PULL_REQUEST);
  }
  const condition = `\${{ ${ON_PULL_REQUEST} }}`;
  steps.items.splice(
    split.unpackAt,
    0,
    doc.createNode({ name: `Fetch ${split.handoff.paths.join(', ')} from job "${edit.pilotJob}"`, if: condition, uses: split.handoff.download, with: { name: split.handoff.artifact } }),
    doc.createNode({ name: `Unpack ${split.handoff.paths.join(', ')}`, if: condition, ...workspace, run: `tar -xf ${packed} && rm ${packed}` }),
  );
  needAlso(original, edit.pilotJob, []);
  return doc.toString({ ...OUTPUT, nullStr: 'null' });
}

/**
 * Adds the pilot to a job's `needs:` (a flow list stays a flow list). The pilot or
 * the job it stands in for is skipped on each event, so a skipped need must not skip
 * the job; its other needs must still succeed, as they had to before.
 */
function needAlso(node: YAMLMap, pilotJob: string, mayBeSkipped: string[]): void {
  const needs = node.get('needs', true);
  const current = isSeq(needs) ? needs.items.map((item) => String(isScalar(item) ? item.value : item)) : needs !== undefined && needs !== null ? [String(isScalar(needs) ? needs.value : needs)] : [];
  if (!hasStatusFunction(node.get('if'))) {
    const others = current.filter((need) => !mayBeSkipped.includes(need));
    gate(node, [NEED_MAY_BE_SKIPPED, ...others.map((other) => `needs.${other}.result == 'success'`)].join(' && '));
  }
  if (isSeq(needs)) needs.items.push(new Scalar(pilotJob));
  else if (current.length === 1) {
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.items.push(new Scalar(current[0]), new Scalar(pilotJob));
    node.set('needs', seq);
  } else node.items.splice(Math.min(1, node.items.length), 0, new Pair(new Scalar('needs'), new Scalar(pilotJob)));
}

function hasWorkingDirectoryDefault(doc: Document, job: YAMLMap): boolean {
  return doc.getIn(['defaults', 'run', 'working-directory']) !== undefined || job.getIn(['defaults', 'run', 'working-directory']) !== undefined;
}

/** A path as one shell word. */
function shellWord(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
