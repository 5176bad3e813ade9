import { Flags } from '@oclif/core';
import type { PilotOutcome } from '../../app/audit/pilot.js';
import { auditRepositoryWorkflows } from '../../app/audit/workflows.js';
import { MirrorCommand } from '../../cli/base.js';
import { failingWorkflows } from '../../core/audit/classify.js';
import { FAIL_ON, type AuditResult, type WorkflowClass } from '../../core/audit/types.js';
import { version } from '../../cli/version.js';
import { ExitCode } from '../../errors.js';
import { AUDIT_FORMATS, renderAudit, verdictLine, type AuditFormat } from '../../report/audit.js';

export default class AuditWorkflows extends MirrorCommand {
  static override summary = 'Classify CI workflows and jobs: external-safe, local-only or needs-split.';
  static override description =
    'Reads .github/workflows, .forgejo/workflows and .gitea/workflows and classifies every workflow and job by where it may run. external-safe: no secrets beyond the automatic read-only token, no environment, no self-hosted or named runner, read-only permissions, no OIDC, no publishing or deployment. local-only: needs one of those. needs-split: mixes both; the report says which jobs or steps would move. Each reason names its evidence. Files that do not parse are reported as invalid.\n\n--fail-on local-only exits 1 unless every workflow is external-safe (what a public repository\'s CI wants); --fail-on needs-split exits 1 only for mixed workflows. Files that do not parse fail both.';
  static override examples = [
    '<%= config.bin %> audit workflows',
    '<%= config.bin %> audit workflows --format markdown > docs/decisions/ci-trust.md',
    '<%= config.bin %> audit workflows --fail-on local-only',
    '<%= config.bin %> audit workflows --json -C path/to/repo',
    '<%= config.bin %> audit workflows --pilot --lane-label burst',
    '<%= config.bin %> audit workflows --pilot --job ci.yml:lint --lane-label burst --write',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    format: Flags.string({ char: 'f', summary: 'Output format (--json for JSON; sarif for code scanning: one result per reason and flag).', options: [...AUDIT_FORMATS, 'sarif'], default: 'table' }),
    visibility: Flags.string({ summary: "The repository's visibility: public flags every self-hosted label (a fork's pull request could reach it).", options: ['public', 'private'] }),
    'lane-label': Flags.string({ summary: "The external lane's runs-on label (default: the policy's lanes.laneLabel): secrets: inherit into a workflow on it is an error." }),
    'fail-on': Flags.string({ summary: 'Exit 1 when any workflow is at or beyond this class (external-safe < local-only < needs-split < invalid).', options: [...FAIL_ON] }),
    pilot: Flags.boolean({ summary: 'Propose a pilot external lane: one movable job (or the external-safe steps of a needs-split job) on --lane-label for pull requests, re-audited; prints the diff.' }),
    job: Flags.string({ summary: 'With --pilot: the job to pilot (ID or FILE:ID); default: the movable job that needs the least wiring.', dependsOn: ['pilot'] }),
    artifact: Flags.string({ summary: "With --pilot: a file or directory the lane's steps write that the steps staying local read (repeatable; default: read from the workflow).", multiple: true, dependsOn: ['pilot'] }),
    write: Flags.boolean({ summary: 'With --pilot: write the files (only when the re-audit passes; re-audited again as written).', dependsOn: ['pilot'], exclusive: ['dry-run'] }),
    'dry-run': Flags.boolean({ summary: 'With --pilot: print the diff and write nothing (the default).', dependsOn: ['pilot'] }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run(): Promise<AuditResult | PilotOutcome> {
    const { flags } = await this.parse(AuditWorkflows);
    if (flags.pilot) {
      const { pilotRepositoryWorkflows } = await import('../../app/audit/pilot.js');
      const { renderPilot } = await import('../../report/pilot.js');
      const outcome = await pilotRepositoryWorkflows({
        cwd: flags.cwd ?? process.cwd(),
        write: flags.write,
        ...(flags.job !== undefined ? { job: flags.job } : {}),
        ...(flags.artifact?.length ? { artifacts: flags.artifact } : {}),
        ...(flags.visibility ? { visibility: flags.visibility as 'public' | 'private' } : {}),
        ...(flags['lane-label'] ? { laneLabel: flags['lane-label'] } : {}),
      });
      if (!this.jsonEnabled()) process.stdout.write(renderPilot(outcome, flags.format === 'markdown' ? 'markdown' : 'table', { write: flags.write }));
      // refused: the job may not move, or the change failed its re-audit (nothing written)
      if (outcome.status !== 'ready') process.exitCode = ExitCode.violations;
      return outcome;
    }
    const result = await auditRepositoryWorkflows({
      cwd: flags.cwd ?? process.cwd(),
      ...(flags.visibility ? { visibility: flags.visibility as 'public' | 'private' } : {}),
      ...(flags['lane-label'] ? { laneLabel: flags['lane-label'] } : {}),
    });
    const failOn = flags['fail-on'] as WorkflowClass | undefined;
    const failing = failOn === undefined ? undefined : failingWorkflows(result, failOn);
    if (!this.jsonEnabled() && flags.format === 'sarif') {
      const { auditToSarif } = await import('../../report/audit-sarif.js');
      process.stdout.write(`${JSON.stringify(auditToSarif(result, version(), { failing: failing ?? [] }), null, 2)}\n`);
      if (failOn !== undefined && failing!.length > 0) process.stderr.write(`mirror: ${verdictLine(failOn, failing!)}\n`);
    } else if (!this.jsonEnabled()) process.stdout.write(renderAudit(result, flags.format as AuditFormat, { failOn, failing }));
    else if (failOn !== undefined && failing!.length > 0) process.stderr.write(`mirror: ${verdictLine(failOn, failing!)}\n`);
    if (failing !== undefined && failing.length > 0) process.exitCode = ExitCode.violations;
    return result;
  }
}
