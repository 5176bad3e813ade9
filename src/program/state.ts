import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode, MirrorError } from '../errors.js';

export const RUN_STATE_VERSION = 1;

/**
 * A multi-step operation as data, saved after every step under the git directory,
 * so `mirror continue`, `skip` and `abort` work after a pause, a crash or a reboot.
 */
export interface RunState<Step, Context> {
  version: typeof RUN_STATE_VERSION;
  command: string;
  startedAt: string;
  steps: Step[];
  /** the step running or paused */
  cursor: number;
  /** set when a step begins, cleared when it is recorded done; a crash leaves it set */
  begun?: { at: string; base?: string };
  paused?: { reason: string; hints: string[]; worktree?: string };
  /**
   * What abort puts back besides what the context says: the refs under some prefixes
   * (taken before the run's fetch) and files under the git directory such as
   * ORIG_HEAD (content, or null when absent). Absent in states older mirrors wrote.
   */
  before?: { refs: { prefixes: string[]; values: Record<string, string> }; gitDirFiles?: Record<string, string | null> };
  context: Context;
}

export function runStateFile(commonDir: string): string {
  return join(commonDir, 'mirror', 'run-state.json');
}

export function loadRunState<Step, Context>(commonDir: string): RunState<Step, Context> | undefined {
  const file = runStateFile(commonDir);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as RunState<Step, Context>;
  if (state.version !== RUN_STATE_VERSION) {
    throw new MirrorError('run-state-version', `${file} was written by another version of mirror`, {
      exitCode: ExitCode.usage,
      suggestions: ['finish or abort it with the mirror version that started it, or delete the file'],
    });
  }
  return state;
}

export function saveRunState(commonDir: string, state: RunState<unknown, unknown>): void {
  const file = runStateFile(commonDir);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function clearRunState(commonDir: string): void {
  rmSync(runStateFile(commonDir), { force: true });
}

export function describePaused(state: RunState<{ op: string }, unknown>): string {
  const step = state.steps[state.cursor];
  const where = `${state.command}, step ${state.cursor + 1} of ${state.steps.length}${step ? ` (${step.op})` : ''}`;
  return state.paused ? `${where} paused: ${state.paused.reason}` : `${where} was interrupted`;
}
