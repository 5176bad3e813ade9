import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Run } from '../helpers/sandbox.js';
import type { World } from '../helpers/world.js';
import { fullSnapshot } from './state.js';

/** The fault points a full run passes, in order (from MIRROR_TEST_TRACE). */
export async function tracePoints(world: World, run: (env: NodeJS.ProcessEnv) => Promise<Run>): Promise<{ points: string[]; result: Run }> {
  const file = join(world.sandbox.root, `trace-${Math.random().toString(36).slice(2)}`);
  const result = await run({ MIRROR_TEST_TRACE: file });
  const points = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  rmSync(file);
  return { points, result };
}

/**
 * One fault point, both ways: killed there, `abort` gives back exactly the state
 * before the run; killed there again, `continue` finishes (exit 0) with no run
 * state or lock left. `check` then asserts what was published.
 */
export async function killAbortContinue(
  world: World,
  point: string,
  run: (env: NodeJS.ProcessEnv) => Promise<Run>,
  resume: (args: string[]) => Promise<Run>,
): Promise<void> {
  const before = fullSnapshot(world);
  const killed = await run({ MIRROR_TEST_DIE_AT: point });
  expect(wasKilled(killed), `${point}: ${killed.code} ${killed.stdout}${killed.stderr}`).toBe(true);
  const aborted = await resume(['abort']);
  expect(aborted.code, `${point} abort: ${aborted.stdout}${aborted.stderr}`).toBe(0);
  expect(fullSnapshot(world), `${point}: abort restores`).toBe(before);

  const again = await run({ MIRROR_TEST_DIE_AT: point });
  expect(wasKilled(again), `${point} (again): ${again.code} ${again.stdout}${again.stderr}`).toBe(true);
  const resumed = await resume(['continue']);
  expect(resumed.code, `${point} continue: ${resumed.stdout}${resumed.stderr}`).toBe(0);
  const state = fullSnapshot(world);
  expect(state, `${point}: no run state left`).not.toMatch(/run-state\.json|run\.lock/);
}

/**
 * Killed by the fault point. Commands that read history run in a child node with a
 * bounded heap (bin/run.js); the parent then reports the child's SIGKILL as exit 70.
 */
export function wasKilled(run: Run): boolean {
  return run.code === -1 || (run.code === 70 && /stopped by SIGKILL/.test(run.stderr));
}
