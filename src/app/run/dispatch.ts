import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ActionsRunsApi } from '../../adapters/forge/actions-runs-types.js';
import type { RepoRef } from '../../adapters/forge/index.js';
import { correlationIdFrom, findCorrelatedRun } from '../../core/run/correlate.js';
import { parseMatrix } from '../../core/run/matrix.js';
import type { InputProblem, RunRecord } from '../../core/run/types.js';
import { CORRELATION_INPUT, correlates, dispatchInfo, parseInputPairs, validateInputs } from '../../core/run/workflow-inputs.js';
import { ExitCode, MirrorError, type ErrorDetail } from '../../errors.js';
import { realSleep, type Sleep } from '../../adapters/forge/http.js';
import { connectRuns, type RunConnectionRequest } from './connect.js';
import { saveBatch, saveRun } from './records.js';
import { readWorkflowFile } from './workflow-file.js';

export interface DispatchRunRequest extends RunConnectionRequest {
  workflow: string;
  /** `-f key=value` */
  fields: string[];
  ref?: string;
  /** a YAML list of input sets: a batch */
  matrixFile?: string;
  allowPublic?: boolean;
  /** how long to look for a run the forge did not name (204 answers); default 60 s */
  findTimeoutMs?: number;
  findIntervalMs?: number;
  sleep?: Sleep;
  now?: () => Date;
}

export interface DispatchedRun {
  id: number;
  url: string;
  htmlUrl: string;
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  /** how the run was identified */
  foundBy: 'dispatch-answer' | 'correlation-id';
}

export interface DispatchResult {
  run: DispatchedRun;
  /** a batch (--matrix): every run, `run` is the first */
  batch?: { id: string; runs: DispatchedRun[] };
}

function problemsError(file: string, problems: InputProblem[], what: string): MirrorError {
  const details: ErrorDetail[] = problems.map((problem) => ({ file, field: problem.field, message: problem.message }));
  return new MirrorError('run-bad-inputs', `${what}: nothing was dispatched`, {
    exitCode: ExitCode.usage,
    details,
    suggestions: ['`mirror run dispatch WORKFLOW --help` shows how inputs are given; the workflow file lists them under on.workflow_dispatch.inputs'],
  });
}

/**
 * Validates every input set against the workflow file (as pushed), refuses a
 * public repository unless allowed, then dispatches each set and identifies its
 * run: from the dispatch answer where the forge gives it, else by the correlation
 * id the workflow's run-name shows. Records each run's inputs under .git/mirror/runs/.
 */
export async function dispatchRuns(request: DispatchRunRequest): Promise<DispatchResult> {
  const connection = await connectRuns(request);
  const { repo, api, repoRef, kind, remote, commonDir } = connection;
  const facts = await connection.forge.repository(repoRef);
  if (facts.visibility === 'public' && !request.allowPublic) {
    throw new MirrorError('run-public-repository', `${facts.owner}/${facts.name} is public: experiment runs belong in the private mirror`, {
      exitCode: ExitCode.usage,
      suggestions: ['dispatch in the private mirror (--remote origin)', 'pass --allow-public if this public repository is really meant'],
    });
  }
  const ref = request.ref ?? facts.defaultBranch;
  const workflow = await readWorkflowFile(repo, kind, remote, ref, request.workflow);
  const info = dispatchInfo(workflow.text);
  if (info.problems.length > 0) throw problemsError(workflow.path, info.problems, `${workflow.path} cannot be read`);
  if (!info.dispatchable) {
    throw new MirrorError('run-not-dispatchable', `${workflow.path} has no workflow_dispatch trigger`, { exitCode: ExitCode.usage, suggestions: ['add `on: workflow_dispatch` (with its inputs) to the workflow'] });
  }

  const given = parseInputPairs(request.fields);
  if (given.problems.length > 0) throw problemsError('-f', given.problems, 'the inputs are malformed');
  let sets: Array<Record<string, string>> = [given.inputs];
  if (request.matrixFile) {
    const matrix = parseMatrix(readFileSync(request.matrixFile, 'utf8'));
    if (matrix.problems.length > 0) throw problemsError(request.matrixFile, matrix.problems, 'the batch file is invalid');
    // -f values are shared by every set; a set's own value wins
    sets = matrix.sets.map((set) => ({ ...given.inputs, ...set }));
  }
  const correlated = correlates(info);
  const problems: InputProblem[] = [];
  sets.forEach((set, index) => {
    for (const problem of validateInputs(info.inputs, set)) problems.push({ ...problem, field: sets.length > 1 ? `[${index}] ${problem.field}` : problem.field });
  });
  if (problems.length > 0) throw problemsError(workflow.path, problems, `the inputs do not match ${workflow.path}`);

  const now = request.now ?? (() => new Date());
  const runs: DispatchedRun[] = [];
  const batchId = sets.length > 1 ? correlationIdFrom(randomBytes(4).toString('hex'), now()).replace(/^mr-/, 'batch-') : undefined;
  for (const set of sets) {
    const inputs = { ...set };
    const correlationId = correlated ? (inputs[CORRELATION_INPUT] || correlationIdFrom(randomBytes(4).toString('hex'), now())) : undefined;
    if (correlationId) inputs[CORRELATION_INPUT] = correlationId;
    const found = await dispatchAndIdentify(api, repoRef, { workflow: workflow.id, ref, inputs, correlationId }, request);
    const run: DispatchedRun = { ...found, workflow: workflow.id, ref, inputs };
    const record: RunRecord = {
      version: 1,
      id: run.id,
      remote,
      repository: `${repoRef.owner}/${repoRef.name}`,
      workflow: workflow.id,
      ref,
      inputs,
      ...(correlationId ? { correlationId } : {}),
      url: run.url,
      htmlUrl: run.htmlUrl,
      dispatchedAt: now().toISOString(),
      ...(batchId ? { batch: batchId } : {}),
    };
    saveRun(commonDir, record);
    runs.push(run);
  }
  if (batchId) saveBatch(commonDir, { version: 1, id: batchId, workflow: workflow.id, ref, createdAt: now().toISOString(), runs: runs.map((run) => run.id) });
  return { run: runs[0]!, ...(batchId ? { batch: { id: batchId, runs } } : {}) };
}

export interface IdentifiedRun {
  id: number;
  url: string;
  htmlUrl: string;
  foundBy: DispatchedRun['foundBy'];
}

type FindOptions = Pick<DispatchRunRequest, 'findTimeoutMs' | 'findIntervalMs' | 'sleep'>;

/**
 * Dispatches one workflow run and says which run it started: from the dispatch
 * answer where the forge gives it, else by the correlation id in the run's name
 * (never "the newest run", which races with other dispatchers).
 */
export async function dispatchAndIdentify(
  api: ActionsRunsApi,
  repoRef: RepoRef,
  request: { workflow: string; ref: string; inputs: Record<string, string>; correlationId: string | undefined },
  options: FindOptions = {},
): Promise<IdentifiedRun> {
  const { workflow, ref, inputs, correlationId } = request;
  const answer = await api.dispatch(repoRef, { workflow, ref, inputs });
  if (answer.runId !== undefined) {
    const snapshot = answer.url && answer.htmlUrl ? undefined : await api.run(repoRef, answer.runId);
    return { id: answer.runId, url: answer.url ?? snapshot!.url, htmlUrl: answer.htmlUrl ?? snapshot!.htmlUrl, foundBy: 'dispatch-answer' };
  }
  if (correlationId) {
    const found = await findRun(api, repoRef, workflow, correlationId, options);
    return { id: found.id, url: found.url, htmlUrl: found.htmlUrl, foundBy: 'correlation-id' };
  }
  throw new MirrorError('run-not-identified', `dispatched ${workflow} on ${ref}, but the forge did not say which run it started, and the workflow cannot be correlated`, {
    exitCode: ExitCode.internal,
    suggestions: [
      `add a \`${CORRELATION_INPUT}\` input and show it in run-name (mirror init's workflows do), so the run can be found without guessing`,
      'the run is on the forge\'s Actions page; `mirror run list` shows recent runs',
    ],
  });
}

async function findRun(api: ActionsRunsApi, repo: RepoRef, workflow: string, correlationId: string, request: FindOptions) {
  const sleep = request.sleep ?? realSleep;
  const limit = request.findTimeoutMs ?? 60_000;
  let waited = 0;
  let interval = request.findIntervalMs ?? 1000;
  for (;;) {
    const runs = await api.recentRuns(repo, { workflow, limit: 50, event: 'workflow_dispatch' });
    const found = findCorrelatedRun(runs, correlationId);
    if (found === 'ambiguous') {
      throw new MirrorError('run-ambiguous', `more than one run carries the correlation id ${correlationId}`, { exitCode: ExitCode.internal, suggestions: ['let mirror choose the correlation id (do not pass -f correlation_id=…)'] });
    }
    if (found) return found;
    if (waited >= limit) {
      throw new MirrorError('run-not-found', `dispatched, but no run with correlation id ${correlationId} appeared within ${Math.round(limit / 1000)} s`, {
        exitCode: ExitCode.internal,
        suggestions: ['check the forge\'s Actions page: a run-name that does not show inputs.correlation_id cannot be found', '`mirror run list` shows recent runs'],
      });
    }
    await sleep(interval);
    waited += interval;
    interval = Math.min(interval * 2, 5000);
  }
}
