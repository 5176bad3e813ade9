/**
 * Trust classes of CI workflows and jobs: where they may run.
 *
 * - external-safe: no secrets beyond the automatic read-only token, no environment,
 *   no self-hosted or named runner, read-only permissions, no OIDC, no deployment or
 *   publishing: any ephemeral external runner may run it.
 * - local-only: needs something only trusted infrastructure has or may do.
 * - needs-split: a workflow (or job) mixing both; the report says what would move.
 * - invalid: the file does not parse as a workflow (reported, never skipped).
 */
export type TrustClass = 'external-safe' | 'local-only' | 'needs-split';
export type WorkflowClass = TrustClass | 'invalid';

/**
 * `--fail-on X` fails when any workflow is at or beyond X in this order, so
 * `--fail-on local-only` accepts only external-safe workflows (a mixed workflow
 * contains local-only jobs), and `--fail-on needs-split` only refuses mixed ones.
 * Files that do not parse always count.
 */
export const CLASS_ORDER: readonly WorkflowClass[] = ['external-safe', 'local-only', 'needs-split', 'invalid'];
export const FAIL_ON: readonly WorkflowClass[] = ['local-only', 'needs-split', 'invalid'];

export type Platform = 'github' | 'forgejo' | 'gitea';

/** What kind of evidence made something local-only. */
export type SignalKind =
  | 'secrets'
  | 'environment'
  | 'permissions'
  | 'oidc'
  | 'runner'
  | 'mutation'
  | 'credentials'
  | 'network'
  | 'host'
  | 'reusable';

/** Where a signal sits: workflow-level signals apply to every job. */
export type SignalScope = 'workflow' | 'job' | 'step';

export interface Signal {
  kind: SignalKind;
  scope: SignalScope;
  /** a short sentence naming the evidence, e.g. `uses secrets.NPM_TOKEN in step "Publish"` */
  message: string;
  /** 1-based line in the workflow file */
  line?: number;
  /** the step's label, for step-scoped signals */
  step?: string;
}

export interface JobReport {
  id: string;
  name?: string;
  line?: number;
  class: TrustClass;
  /** the signals' messages: why the job is not external-safe */
  reasons: string[];
  notes: string[];
  /** needs-split: the steps that would move to a local workflow */
  move?: string[];
  /** the reusable workflow this job calls (`uses:`) */
  calls?: string;
  signals: Signal[];
  /** how runs-on was read (placement vs needs); absent for calls and unknowable runs-on */
  runner?: RunnerReading;
  /** external-safe by its needs but placed on particular runners today: it could move */
  movable?: boolean;
}

/**
 * Findings beyond the class, named to sit beside zizmor / Scorecard / poutine rules:
 * they make a workflow dangerous wherever it runs.
 */
export type FlagRule = 'dangerous-checkout' | 'secrets-inherit' | 'self-hosted-public' | 'template-injection';
export const FLAG_RULES: readonly FlagRule[] = ['dangerous-checkout', 'secrets-inherit', 'self-hosted-public', 'template-injection'];

export interface Flag {
  rule: FlagRule;
  level: 'error' | 'warning';
  message: string;
  job: string;
  line?: number;
  step?: string;
}

/** How a job's runs-on was read, label by label. */
export interface RunnerReading {
  /** `[self-hosted, lab]`, `runner group "x"`: the runner it targets today; absent on hosted labels */
  placement?: string;
  labels: { label: string; role: 'hosted' | 'placement' | 'capability'; rule: string }[];
}

export interface MoveItem {
  job: string;
  /** absent: the whole job moves */
  steps?: string[];
}

export interface ParseError {
  message: string;
  line?: number;
  column?: number;
}

export interface WorkflowReport {
  /** relative to the repository root, with forward slashes */
  file: string;
  platform: Platform;
  name?: string;
  class: WorkflowClass;
  triggers: string[];
  /** for the workflow as a whole, e.g. which jobs are local-only */
  reasons: string[];
  notes: string[];
  /** needs-split: the jobs, or steps of jobs, that would move */
  move: MoveItem[];
  jobs: JobReport[];
  /** dangerous patterns, whatever the class */
  flags: Flag[];
  /** invalid: why */
  errors?: ParseError[];
}

/** What the audit knows beyond the files. */
export interface AuditOptions {
  root: string;
  directories: string[];
  notes?: string[];
  /** the policy's `lanes` declarations */
  hardwareLabels?: readonly string[];
  placementLabels?: readonly string[];
  /** the external lane's runs-on label, when one is planned or exists */
  laneLabel?: string;
  /** a public repository: any self-hosted label is flagged */
  visibility?: 'public' | 'private';
  /** repository scripts that `run:` steps call, by path relative to the root (read by the app) */
  scripts?: Record<string, string>;
}

export interface AuditResult {
  /** the repository root the files are relative to */
  root: string;
  /** the workflow directories found, relative to the root */
  directories: string[];
  workflows: WorkflowReport[];
  summary: Record<WorkflowClass, number>;
  notes: string[];
}
