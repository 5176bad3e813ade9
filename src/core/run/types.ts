/**
 * Experiment runs as plain data: what a workflow declares, what a caller asks
 * for, what the forge says about a run. The core decides; adapters fetch.
 */

export type InputType = 'string' | 'boolean' | 'number' | 'choice' | 'environment';

export interface DeclaredInput {
  name: string;
  type: InputType;
  required: boolean;
  /** as written in the workflow, as a string ('' when absent) */
  default: string | undefined;
  options: string[];
  description?: string;
}

export interface InputProblem {
  /** the input's name, or `workflow` for the file as a whole */
  field: string;
  message: string;
}

/** The forge's view of a run, in domain words (adapters map both forges' JSON to this). */
export interface RunSnapshot {
  id: number;
  number?: number;
  /** GitHub's `display_title`: the evaluated `run-name` */
  title: string;
  /** e.g. `.github/workflows/experiment.yml` */
  workflowPath?: string;
  event?: string;
  /** queued, in_progress, completed, waiting, requested, pending */
  status: string;
  /** success, failure, cancelled, timed_out, skipped, neutral, action_required, or null while running */
  conclusion: string | null;
  branch?: string;
  sha?: string;
  /** the API URL of the run */
  url: string;
  htmlUrl: string;
  createdAt?: string;
  startedAt?: string;
  updatedAt?: string;
}

export interface StepSnapshot {
  number: number;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt?: string;
  completedAt?: string;
}

export interface JobSnapshot {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  labels: string[];
  runnerName?: string;
  createdAt?: string;
  startedAt?: string;
  completedAt?: string;
  steps: StepSnapshot[];
}

export interface ArtifactInfo {
  id: number;
  name: string;
  sizeInBytes: number;
  expired: boolean;
  expiresAt?: string;
  /** `sha256:HEX` where the forge gives one */
  digest?: string;
}

/** What `.git/mirror/runs/<id>.json` keeps: the runs API never returns a run's inputs. */
export interface RunRecord {
  version: 1;
  id: number;
  remote: string;
  repository: string;
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  correlationId?: string;
  url: string;
  htmlUrl: string;
  dispatchedAt: string;
  batch?: string;
}

export interface BatchRecord {
  version: 1;
  id: string;
  workflow: string;
  ref: string;
  createdAt: string;
  runs: number[];
}
