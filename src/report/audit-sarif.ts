import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { AuditResult, FlagRule, SignalKind, WorkflowClass, WorkflowReport } from '../core/audit/types.js';

const INFORMATION_URI = 'https://github.com/mirror-cli/mirror#auditing-ci-workflows-what-may-run-outside';

/** Why a job is not external-safe, one rule per kind of evidence. */
const SIGNAL_RULES: Record<SignalKind, string> = {
  secrets: 'uses secrets beyond the automatic read-only token',
  environment: 'uses a deployment environment',
  permissions: 'asks for a token with write access',
  oidc: 'requests an OIDC token',
  runner: 'needs a capability only particular runners have',
  mutation: 'changes something outside the repository (publish, deploy, push)',
  credentials: 'logs in somewhere or obtains cloud credentials',
  network: 'joins or reaches a private network',
  host: 'uses what only the host has (its paths or sockets)',
  reusable: 'calls a reusable workflow that is not external-safe',
};

const FLAG_RULES: Record<FlagRule, string> = {
  'dangerous-checkout': 'pull_request_target or workflow_run checks out the untrusted head ("pwn request")',
  'secrets-inherit': 'secrets: inherit hands every secret to a reusable workflow that needs none or runs on the external lane',
  'self-hosted-public': "a public repository's workflow targets self-hosted runners",
  'template-injection': 'text an outsider controls is spliced into a script',
};

/**
 * SARIF 2.1.0 for code scanning: one result per reason (each piece of evidence that
 * keeps a job local) and per flag, at the file and line of the evidence. Reasons are
 * `note`s unless `--fail-on` fails their workflow (then `error`); flags keep their
 * own level; a file that does not parse is an error.
 */
export function auditToSarif(result: AuditResult, version: string, options: { failing?: WorkflowReport[] } = {}): Log {
  const failing = new Set((options.failing ?? []).map((workflow) => workflow.file));
  const rules = new Map<string, ReportingDescriptor>();
  const results: Result[] = [];
  const use = (id: string, text: string, level: 'error' | 'warning' | 'note') => {
    if (!rules.has(id)) rules.set(id, { id, shortDescription: { text }, defaultConfiguration: { level } });
  };
  const at = (file: string, line: number | undefined) => [
    { physicalLocation: { artifactLocation: { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }, ...(line ? { region: { startLine: line } } : {}) } },
  ];
  for (const workflow of result.workflows) {
    if (workflow.class === 'invalid') {
      use('invalid-workflow', 'the file does not parse as a workflow', 'error');
      for (const error of workflow.errors ?? [{ message: workflow.reasons[0] ?? 'not a workflow' }]) {
        results.push({ ruleId: 'invalid-workflow', level: 'error', message: { text: error.message }, locations: at(workflow.file, error.line) });
      }
      continue;
    }
    const level = failing.has(workflow.file) ? 'error' : 'note';
    for (const job of workflow.jobs) {
      for (const signal of job.signals) {
        const id = `local-only/${signal.kind}`;
        use(id, SIGNAL_RULES[signal.kind], 'note');
        results.push({
          ruleId: id,
          level,
          message: { text: `job "${job.id}" is ${job.class}: ${signal.message}` },
          locations: at(workflow.file, signal.line ?? job.line),
          properties: { workflowClass: workflow.class as WorkflowClass, jobClass: job.class, job: job.id },
        });
      }
    }
    for (const flag of workflow.flags) {
      use(flag.rule, FLAG_RULES[flag.rule], flag.level);
      results.push({ ruleId: flag.rule, level: flag.level, message: { text: flag.message }, locations: at(workflow.file, flag.line), properties: { job: flag.job } });
    }
  }
  const root = pathToFileURL(result.root).href;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mirror', version, informationUri: INFORMATION_URI, rules: [...rules.values()] } },
        originalUriBaseIds: { '%SRCROOT%': { uri: root.endsWith('/') ? root : `${root}/` } },
        results,
      },
    ],
  };
}
