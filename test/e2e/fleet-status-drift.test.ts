import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPolicy, withMarker } from '../../src/core/init/index.js';
import { fleetWorld, type FleetWorld } from '../helpers/fleet-world.js';

let world: FleetWorld;
const SYNC = '.github/workflows/mirror-sync-down.yml';
const EXPERIMENT = '.github/workflows/experiment.yml';
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const DEFAULT_POLICY = sha256(renderPolicy({ role: 'mirror', branch: 'main' }));

/**
 * Each mirror set up by the real `mirror init` in a clone, then pushed:
 * globex as init left it (with its own schedule); acme with a hand-edited
 * experiment workflow and a policy of its own; hooli with a sync-down workflow
 * from an older template and an older action; empty and gone cannot be read.
 */
beforeAll(() => {
  world = fleetWorld();
  const { sandbox, mirrors, upstream } = world;
  const setUp = (name: 'globex' | 'acme' | 'hooli', flags: string[], change: (dir: string) => void = () => undefined) => {
    const clone = sandbox.repo(`${name}-setup`);
    clone.git('fetch', '-q', mirrors[name], 'main');
    clone.git('reset', '-q', '--hard', 'FETCH_HEAD');
    const init = clone.mirror(['init', '--upstream', upstream, ...flags]);
    expect(init.code, init.stderr).toBe(0);
    change(clone.dir);
    clone.commit('Set up mirror');
    clone.git('-c', 'core.hooksPath=/dev/null', 'push', '-q', mirrors[name], 'HEAD:refs/heads/main');
  };
  setUp('globex', ['--schedule', '0 3 * * 1']);
  setUp('acme', [], (dir) => {
    writeFileSync(join(dir, EXPERIMENT), `${readFileSync(join(dir, EXPERIMENT), 'utf8')}# acme runs on its own cluster\n`);
    writeFileSync(join(dir, '.mirror/policy.yml'), `${readFileSync(join(dir, '.mirror/policy.yml'), 'utf8')}identifiers:\n  - { label: customer, pattern: acme }\n`);
  });
  setUp('hooli', ['--action-ref', 'mirror-cli/mirror@v0.9'], (dir) => {
    const text = readFileSync(join(dir, SYNC), 'utf8');
    writeFileSync(join(dir, SYNC), withMarker(text.split('\n').slice(2).join('\n').replace('timeout-minutes: 30', 'timeout-minutes: 20')));
  });
  world.writeFleet(
    [
      { name: 'globex', url: mirrors.globex },
      { name: 'acme', url: mirrors.acme, yaml: ['expect: { level: fail }'] },
      { name: 'hooli', url: mirrors.hooli },
      { name: 'gone', url: mirrors.gone },
    ],
    { yaml: ['expect:', '  version: v1', `  policy: ${DEFAULT_POLICY}`] },
  );
});

describe('mirror fleet status: drift from what the fleet expects', () => {
  it('reads version, policy and generated workflows from the shared cache and names each difference', () => {
    const run = world.control.mirror(['fleet', 'status', '--json']);
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    const rows = Object.fromEntries(status.mirrors.map((row: { name: string; level: string; drift?: unknown; checks: { check: string }[] }) => [row.name, { level: row.level, drift: row.drift, check: row.checks.find((c) => c.check === 'drift') }]));
    expect(rows.globex).toEqual({
      level: 'ok',
      drift: { version: 'v1', policy: { hash: DEFAULT_POLICY, expected: DEFAULT_POLICY }, workflows: [{ path: SYNC, state: 'current' }, { path: EXPERIMENT, state: 'current' }], drifted: [] },
      check: { check: 'drift', level: 'ok', message: 'no drift from what the fleet expects' },
    });
    expect(rows.acme.level).toBe('fail');
    expect(rows.acme.drift.workflows).toEqual([{ path: SYNC, state: 'current' }, { path: EXPERIMENT, state: 'edited' }]);
    expect(rows.acme.drift.policy.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rows.acme.drift.policy.hash).not.toBe(DEFAULT_POLICY);
    expect(rows.acme.check).toEqual({
      check: 'drift',
      level: 'fail',
      message: `drift: policy ${rows.acme.drift.policy.hash.slice(0, 19)}… differs from the expected ${DEFAULT_POLICY.slice(0, 19)}…; ${EXPERIMENT}: edited by hand since \`mirror init\` wrote it`,
    });
    expect(rows.hooli.drift.version).toBe('v0.9');
    expect(rows.hooli.check).toEqual({
      check: 'drift',
      level: 'warn',
      message: `drift: runs mirror v0.9, the fleet expects v1; ${SYNC}: an older template (\`mirror init\` updates it)`,
    });
    expect(rows.gone).toEqual({ level: 'fail', drift: undefined, check: undefined });
    expect(status.summary.drifted).toBe(2);
  });

  it('shows a drift column and the differences in text and markdown', () => {
    const run = world.control.mirror(['fleet', 'status']);
    expect(run.stdout).toMatch(/sync PRs\s+drift/);
    expect(run.stdout).toMatch(/globex .* none\n/);
    expect(run.stdout).toMatch(/acme .* 2 found\n/);
    expect(run.stdout).toContain(`! hooli: drift: runs mirror v0.9, the fleet expects v1; ${SYNC}: an older template`);
    expect(run.stdout).toContain('2 drifted');
    const markdown = world.control.mirror(['fleet', 'status', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| sync PRs | drift |');
  });
});
