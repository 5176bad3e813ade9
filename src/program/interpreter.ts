import { appendFileSync } from 'node:fs';
import { ExitCode } from '../errors.js';
import { clearRunState, saveRunState, type RunState } from './state.js';

export type StepResult = { status: 'done' } | { status: 'paused'; reason: string; hints: string[]; worktree?: string };

export interface StepHandler<Step, Context> {
  /** does the step; `recovering` when a crash interrupted an earlier attempt */
  run(step: Step, state: RunState<unknown, Context>, recovering: boolean): Promise<StepResult>;
  /** after the user resolved a pause; defaults to running the step again */
  resume?(step: Step, state: RunState<unknown, Context>): Promise<StepResult>;
  /** drops what the paused step was doing (and goes on with the step's rest); without it the step cannot be skipped */
  skip?(step: Step, state: RunState<unknown, Context>): Promise<StepResult>;
  /** what the step needs remembered before it starts (e.g. a worktree's HEAD) */
  begin?(step: Step, state: RunState<unknown, Context>): Promise<string | undefined>;
}

/** One handler per step type; the compiler checks that every type has one. */
export type Handlers<Step extends { op: string }, Context> = {
  [Op in Step['op']]: StepHandler<Extract<Step, { op: Op }>, Context>;
};

export type Outcome = { status: 'done' } | { status: 'paused'; reason: string; hints: string[]; worktree?: string };

/**
 * Runs the remaining steps, saving the state before and after each so an
 * interruption at any point leaves something `continue` and `abort` understand.
 */
export async function execute<Step extends { op: string }, Context>(
  commonDir: string,
  state: RunState<Step, Context>,
  handlers: Handlers<Step, Context>,
  mode: 'run' | 'resume' | 'skip' = 'run',
): Promise<Outcome> {
  let first = true;
  while (state.cursor < state.steps.length) {
    const step = state.steps[state.cursor]!;
    const handler = handlers[step.op as Step['op']] as StepHandler<Step, Context>;
    let result: StepResult;
    if (first && mode === 'skip') {
      if (!handler.skip) return { status: 'paused', reason: `a ${step.op} step cannot be skipped`, hints: ['use mirror continue or mirror abort'] };
      state.paused = undefined;
      result = await handler.skip(step, state);
    } else if (first && mode === 'resume' && state.paused) {
      state.paused = undefined;
      result = await (handler.resume ?? handler.run).call(handler, step, state, false);
    } else {
      const recovering = state.begun !== undefined;
      if (!recovering) {
        faultPoint(state.cursor, step.op, 'before');
        state.begun = { at: new Date().toISOString(), base: await handler.begin?.(step, state) };
        saveRunState(commonDir, state);
      }
      faultPoint(state.cursor, step.op, 'begin');
      result = await handler.run(step, state, recovering);
    }
    first = false;
    if (result.status === 'paused') {
      state.paused = { reason: result.reason, hints: result.hints, worktree: result.worktree };
      saveRunState(commonDir, state);
      return result;
    }
    faultPoint(state.cursor, step.op, 'end');
    state.cursor++;
    state.begun = undefined;
    state.paused = undefined;
    saveRunState(commonDir, state);
  }
  clearRunState(commonDir);
  return { status: 'done' };
}

/**
 * Fault injection for tests. Every step passes three points, named
 * `<cursor>:<op>:<phase>` (`1:push:end`):
 * - `before`: the step is next in the saved state but not begun;
 * - `begin`: the step is recorded as begun, its work not started;
 * - `end`: its work is done but not recorded, the worst moment for recovery.
 * `MIRROR_TEST_DIE_AT=<point>` kills the process there as `kill -9` would (no
 * handler, no cleanup, nothing flushed); `MIRROR_TEST_TRACE=<file>` appends each
 * point reached, so a test can enumerate them. `MIRROR_FAULT_AFTER_STEP=n` is the
 * older spelling of `n:*:end`.
 */
function faultPoint(cursor: number, op: string, phase: 'before' | 'begin' | 'end'): void {
  const id = `${cursor}:${op}:${phase}`;
  const trace = process.env.MIRROR_TEST_TRACE;
  if (trace) appendFileSync(trace, `${id}\n`);
  const at = process.env.MIRROR_TEST_DIE_AT;
  const after = process.env.MIRROR_FAULT_AFTER_STEP;
  if (at === id || (phase === 'end' && after !== undefined && Number(after) === cursor)) process.kill(process.pid, 'SIGKILL');
}

export const PAUSED_EXIT = ExitCode.paused;
