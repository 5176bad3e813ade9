import type { FeatureState, ForgeKind, RepositoryFacts, SelfHostedRunners } from '../../adapters/forge/types.js';
import type { AuditResult } from '../audit/types.js';
import { worst, type CheckId, type CheckStatus, type DoctorCheck } from './types.js';

/** What the forge said about one remote's repository, or why it could not be asked. */
export type SideAccess =
  | {
      ok: true;
      kind: ForgeKind;
      repo: RepositoryFacts;
      /** the default branch: protected, unprotected, not visible to the token, or absent */
      protectedDefault: boolean | 'unknown' | 'missing';
      runners: SelfHostedRunners | 'unknown';
    }
  | { ok: false; reason: string; fix: string };

/**
 * One side of the pattern: the private mirror (origin in a mirror) or the public
 * repository (upstream in a mirror, origin in the public repository itself).
 */
export interface Side {
  remote: string;
  side: 'mirror' | 'public';
  access: SideAccess;
}

const skippedCheck = (id: CheckId, side: Side & { access: { ok: false } }): DoctorCheck => ({
  id,
  group: 'forge',
  status: 'warn',
  skipped: true,
  message: `skipped for ${side.remote}: ${side.access.reason}`,
  fix: side.access.fix,
});

const slug = (repo: RepositoryFacts) => `${repo.owner}/${repo.name}`;

// ---- visibility ------------------------------------------------------------------

/** The private mirror must be private: it holds customer material. */
export function originPrivateCheck(side: Side): DoctorCheck {
  if (!side.access.ok) return skippedCheck('origin-private', side as Side & { access: { ok: false } });
  const { repo } = side.access;
  if (repo.private) return { id: 'origin-private', group: 'forge', status: 'pass', message: `${side.remote} (${slug(repo)}) is ${repo.visibility}` };
  return {
    id: 'origin-private',
    group: 'forge',
    status: 'fail',
    message: `${side.remote} (${slug(repo)}) is PUBLIC: the private mirror's customer files and history are exposed`,
    fix: 'make the repository private now (Settings → General → Danger Zone → Change visibility), then review what was exposed and rotate any credentials in it',
  };
}

/** The public side must be public: a private one means the URL names something else (another mirror?). */
export function publicSideCheck(side: Side): DoctorCheck {
  if (!side.access.ok) return skippedCheck('upstream-public', side as Side & { access: { ok: false } });
  const { repo } = side.access;
  if (!repo.private) return { id: 'upstream-public', group: 'forge', status: 'pass', message: `${side.remote} (${slug(repo)}) is public` };
  return {
    id: 'upstream-public',
    group: 'forge',
    status: 'fail',
    message: `${side.remote} (${slug(repo)}) is ${repo.visibility}, but the pattern treats it as the public project: is the URL another customer's mirror?`,
    fix: `check the URL (git remote get-url ${side.remote}); if the project is not published yet, this check fails until it is`,
  };
}

// ---- secret scanning, push protection ----------------------------------------------

type Feature = 'secretScanning' | 'pushProtection';

const FEATURE_NAMES: Record<Feature, { id: CheckId; name: string; setting: string }> = {
  secretScanning: { id: 'secret-scanning', name: 'secret scanning', setting: 'Settings → Code security → Secret scanning' },
  pushProtection: { id: 'push-protection', name: 'push protection', setting: 'Settings → Code security → Secret scanning → Push protection' },
};

/**
 * The forge's own secret checks behind mirror's. Free on public GitHub
 * repositories (disabled there: fail); a private mirror may need a paid plan
 * (disabled there: warn). Forgejo has none (`unavailable`: a pass with a note).
 */
export function featureCheck(feature: Feature, sides: Side[]): DoctorCheck {
  const { id, name, setting } = FEATURE_NAMES[feature];
  const parts: { status: CheckStatus; text: string; fix?: string; skipped?: boolean }[] = sides.map((side) => {
    if (!side.access.ok) return { status: 'warn', text: `${side.remote}: skipped (${side.access.reason})`, fix: side.access.fix, skipped: true };
    const state: FeatureState = side.access.repo[feature];
    switch (state) {
      case 'enabled':
        return { status: 'pass', text: `${side.remote}: enabled` };
      case 'unavailable':
        return {
          status: 'pass',
          text: `${side.remote}: not offered by ${side.access.kind === 'forgejo' ? 'Forgejo' : 'this forge or plan'} (mirror's guard is the secret check there)`,
        };
      case 'unknown':
        return { status: 'warn', text: `${side.remote}: unknown (the token cannot see security settings: it needs admin rights)`, fix: 'run doctor with a token that has admin rights on the repository' };
      case 'disabled':
        return side.side === 'public'
          ? { status: 'fail', text: `${side.remote}: disabled on the public repository`, fix: `enable ${name} on ${slug(side.access.repo)} (${setting}); it is free for public repositories` }
          : { status: 'warn', text: `${side.remote}: disabled on the private mirror`, fix: `enable ${name} on ${slug(side.access.repo)} (${setting}; private repositories may need GitHub Secret Protection)` };
    }
  });
  return combine(id, `${name}: ${parts.map((part) => part.text).join('; ')}`, parts);
}

// ---- branch protection ---------------------------------------------------------------

/**
 * The default branch protected on both sides: on the public side an unprotected
 * branch lets a direct push skip the CI guard (fail); on the mirror it only costs
 * review (warn).
 */
export function branchCheck(sides: Side[]): DoctorCheck {
  const parts = sides.map((side): { status: CheckStatus; text: string; fix?: string; skipped?: boolean } => {
    if (!side.access.ok) return { status: 'warn', text: `${side.remote}: skipped (${side.access.reason})`, fix: side.access.fix, skipped: true };
    const { repo, protectedDefault } = side.access;
    const branch = `${side.remote} ${repo.defaultBranch}`;
    if (protectedDefault === true) return { status: 'pass', text: `${branch}: protected` };
    if (protectedDefault === 'unknown') return { status: 'warn', text: `${branch}: unknown (the token may not read protection)`, fix: 'run doctor with a token that can read branch protection' };
    if (protectedDefault === 'missing') return { status: 'warn', text: `${branch}: no such branch on the forge`, fix: `push ${repo.defaultBranch}, or set the default branch` };
    const fix = `protect ${repo.defaultBranch} on ${slug(repo)} (a branch protection rule or ruleset: pull requests with the mirror guard as a required check)`;
    return side.side === 'public'
      ? { status: 'fail', text: `${branch}: NOT protected: a direct push skips the CI guard`, fix }
      : { status: 'warn', text: `${branch}: not protected`, fix };
  });
  return combine('branch-protection', `default branch ${parts.map((part) => part.text).join('; ')}`, parts);
}

// ---- self-hosted runners on the public side -------------------------------------------

/** The public side's workflow files, read from its branch in git. */
export interface PublicWorkflows {
  /** the ref they were read from, e.g. `upstream/main` */
  ref: string;
  /** undefined when the ref does not exist */
  audit: AuditResult | undefined;
}

export interface WorkflowFinding {
  file: string;
  job: string;
  message: string;
}

/** Jobs the audit found pinned to self-hosted, custom or hardware runners, or runner groups. */
export function selfHostedJobs(audit: AuditResult): WorkflowFinding[] {
  const findings: WorkflowFinding[] = [];
  for (const workflow of audit.workflows) {
    for (const job of workflow.jobs) {
      // placement counts here, not only needs: any non-hosted label is a runner a fork could reach
      const needed = job.signals.find((signal) => signal.kind === 'runner');
      if (needed) findings.push({ file: workflow.file, job: job.id, message: needed.message });
      else if (job.runner?.placement !== undefined) findings.push({ file: workflow.file, job: job.id, message: `runs on ${job.runner.placement}` });
    }
  }
  return findings;
}

/** Jobs of pull_request_target (or workflow_run) workflows that check out the pull request's code. */
export function pwnRequests(audit: AuditResult): WorkflowFinding[] {
  const findings: WorkflowFinding[] = [];
  for (const workflow of audit.workflows) {
    for (const job of workflow.jobs) {
      for (const note of job.notes) if (note.startsWith('danger:')) findings.push({ file: workflow.file, job: job.id, message: note.replace(/^danger:\s*/, '') });
    }
  }
  return findings;
}

const describeFinding = (finding: WorkflowFinding) => `${finding.file} job "${finding.job}": ${finding.message}`;

function invalidNote(workflows: PublicWorkflows): string {
  const invalid = workflows.audit?.workflows.filter((workflow) => workflow.class === 'invalid').map((workflow) => workflow.file) ?? [];
  return invalid.length > 0 ? ` (${invalid.length} file${invalid.length > 1 ? 's do' : ' does'} not parse and ${invalid.length > 1 ? 'were' : 'was'} not checked: ${invalid.join(', ')})` : '';
}

/**
 * A public repository with self-hosted runners lets anyone's fork pull request
 * run code on those machines (a pull_request workflow runs the fork's version of
 * the workflow file). Fails on registered runners and on workflows that target
 * non-hosted labels.
 */
export function runnersCheck(side: Side, workflows: PublicWorkflows): DoctorCheck {
  const parts: { status: CheckStatus; text: string; fix?: string; skipped?: boolean }[] = [];
  const details: string[] = [];
  const move = 'run self-hosted jobs in the private mirror (its experiment workflow), never in the public repository';
  const access = side.access;
  if (!access.ok) {
    parts.push({ status: 'warn', text: `registered runners not checked (${access.reason})`, fix: access.fix, skipped: true });
  } else if (access.runners === 'unknown') {
    parts.push({ status: 'warn', text: 'registered runners unknown (listing them needs admin rights)', fix: 'run doctor with an admin token to list the repository\'s runners' });
  } else if (access.runners.count > 0) {
    const runners = access.runners;
    details.push(...runners.names.map((name) => `runner "${name}" registered on ${slug(access.repo)}`));
    parts.push({
      status: 'fail',
      text: `${runners.count} self-hosted runner${runners.count > 1 ? 's' : ''} registered on the public repository (labels: ${runners.labels.join(', ') || 'none'}): fork pull requests could run on your hardware`,
      fix: `remove them (Settings → Actions → Runners); ${move}`,
    });
  } else parts.push({ status: 'pass', text: 'no self-hosted runner registered' });

  if (workflows.audit === undefined) {
    parts.push({ status: 'warn', text: `workflows not checked: ${workflows.ref} does not exist here`, fix: `git fetch ${workflows.ref.split('/')[0]}`, skipped: true });
  } else {
    const jobs = selfHostedJobs(workflows.audit);
    details.push(...jobs.map(describeFinding));
    parts.push(
      jobs.length > 0
        ? { status: 'fail', text: `${jobs.length} job${jobs.length > 1 ? 's' : ''} in ${workflows.ref}'s workflows target self-hosted runners`, fix: `move ${jobs.length > 1 ? 'them' : 'it'} to hosted runners (ubuntu-latest, docker); ${move}` }
        : { status: 'pass', text: `no workflow in ${workflows.ref} targets a self-hosted runner${invalidNote(workflows)}` },
    );
  }
  return combine('public-self-hosted-runners', parts.map((part) => part.text).join('; '), parts, details);
}

/** A pull_request_target workflow that checks out the pull request's code runs it with secrets and a write token. */
export function pullRequestTargetCheck(workflows: PublicWorkflows): DoctorCheck {
  const base = { id: 'pull-request-target' as const, group: 'forge' as const };
  if (workflows.audit === undefined) {
    return { ...base, status: 'warn', skipped: true, message: `workflows not checked: ${workflows.ref} does not exist here`, fix: `git fetch ${workflows.ref.split('/')[0]}` };
  }
  const findings = pwnRequests(workflows.audit);
  if (findings.length > 0) {
    return {
      ...base,
      status: 'fail',
      message: `${findings.length} job${findings.length > 1 ? 's' : ''} in ${workflows.ref}'s workflows check${findings.length > 1 ? '' : 's'} out a pull request's code under pull_request_target or workflow_run, with secrets and a write token`,
      details: findings.map(describeFinding),
      fix: 'build and test pull requests in a pull_request workflow (no secrets, read-only token); keep pull_request_target for labelling and comments that never run the pull request\'s code',
    };
  }
  const count = workflows.audit.workflows.filter((workflow) => workflow.triggers.includes('pull_request_target')).length;
  return {
    ...base,
    status: 'pass',
    message: count > 0 ? `${count} pull_request_target workflow${count > 1 ? 's' : ''} in ${workflows.ref}, none checks out the pull request's code${invalidNote(workflows)}` : `no workflow in ${workflows.ref} checks out a pull request's code under pull_request_target${invalidNote(workflows)}`,
  };
}

function combine(id: CheckId, message: string, parts: { status: CheckStatus; fix?: string; skipped?: boolean }[], details: string[] = []): DoctorCheck {
  const status = worst(parts.map((part) => part.status));
  // one fix per line: the renderer prints each, and leaves out those it already showed for a remote
  const fixes = [...new Set(parts.filter((part) => part.status !== 'pass' && part.fix).map((part) => part.fix!))];
  const skipped = parts.some((part) => part.skipped);
  return {
    id,
    group: 'forge',
    status,
    message,
    ...(status !== 'pass' && fixes.length > 0 ? { fix: fixes.join('\n') } : {}),
    ...(skipped ? { skipped } : {}),
    ...(details.length > 0 ? { details } : {}),
  };
}
