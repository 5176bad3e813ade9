import { parse } from 'yaml';
import type { DoctorCheck } from './types.js';

/**
 * Whether a mirror's default branch carries the CI guard behind its hooks: a
 * workflow that runs `mirror guard ci` (through mirror's action, as the
 * `mirror-guard.yml` of `mirror init` does, or as a command) on pushes or pull
 * requests. The pre-push hook can be skipped (`--no-verify`); this job cannot.
 */

export type BranchWorkflows =
  /** the branch could not be fetched */
  | { state: 'unread'; reason: string }
  | { state: 'read'; branch: string; files: { path: string; text: string }[] };

interface Found {
  path: string;
  /** the events it runs on */
  events: string[];
}

function events(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((event): event is string => typeof event === 'string');
  if (on && typeof on === 'object') return Object.keys(on);
  return [];
}

/** The workflow's events when one of its steps runs the guard, else undefined. */
export function guardWorkflow(path: string, text: string): Found | undefined {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const { on, jobs } = doc as { on?: unknown; jobs?: Record<string, { steps?: { uses?: unknown; run?: unknown; with?: Record<string, unknown> }[] }> };
  const runsGuard = Object.values(jobs ?? {}).some((job) =>
    (job?.steps ?? []).some(
      (step) =>
        (typeof step?.uses === 'string' && typeof step.with?.command === 'string' && /^\s*guard\s+(ci|range)\b/.test(step.with.command)) ||
        (typeof step?.run === 'string' && /\bmirror\s+guard\s+(ci|range)\b/.test(step.run)),
    ),
  );
  return runsGuard ? { path, events: events(on) } : undefined;
}

const GUARDED_EVENTS = ['push', 'pull_request'];

export function hookWorkflowCheck(mirror: string, workflows: BranchWorkflows, directory: string): DoctorCheck {
  const base = { id: 'hook-workflow', group: 'forge' } as const;
  const fix = `add the guard workflow to ${directory}/ of the mirror's default branch: \`mirror init --public --dry-run\` prints the mirror-guard.yml \`mirror init\` writes (it runs \`mirror guard ci\` on every pull request and push)`;
  if (workflows.state === 'unread') {
    return { ...base, status: 'warn', skipped: true, message: `${mirror}: skipped (its branch could not be read: ${workflows.reason})`, fix: 'check the mirror URL and access, then run again' };
  }
  const found = workflows.files.map((file) => guardWorkflow(file.path, file.text)).filter((item): item is Found => item !== undefined);
  const guarded = found.find((item) => item.events.some((event) => GUARDED_EVENTS.includes(event)));
  if (guarded) return { ...base, status: 'pass', message: `${mirror} ${workflows.branch}: ${guarded.path} runs the guard on ${guarded.events.filter((event) => GUARDED_EVENTS.includes(event)).join(' and ')}` };
  if (found.length > 0) {
    return {
      ...base,
      status: 'warn',
      message: `${mirror} ${workflows.branch}: ${found.map((item) => item.path).join(', ')} runs the guard, but not on push or pull_request (${found.flatMap((item) => item.events).join(', ') || 'no event'})`,
      fix: 'run the guard workflow `on: [pull_request, push]`, as `mirror init` writes it',
    };
  }
  return {
    ...base,
    status: 'warn',
    message: `${mirror} ${workflows.branch}: no workflow runs the guard: a push that skips the hook (--no-verify) is checked by nothing on the forge`,
    fix,
  };
}
