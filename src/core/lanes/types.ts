/**
 * Workflow runs and jobs as `mirror audit latency` reads them: plain data the forge
 * adapters fill (GitHub, Gitea/Forgejo shapes mapped to these words).
 */
export interface RunRecord {
  id: number;
  /** `.github/workflows/ci.yml`; absent when the forge does not say */
  workflowPath?: string;
  workflowName: string;
  event: string;
  headSha: string;
  createdAt: string;
  status: string;
  conclusion: string | null;
}

export interface StepRecord {
  name: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface JobRecord {
  id: number;
  runId: number;
  name: string;
  labels: string[];
  status: string;
  conclusion: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  steps: StepRecord[];
}

export interface RunWithJobs {
  run: RunRecord;
  jobs: JobRecord[];
}
