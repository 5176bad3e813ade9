import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetWorld, MERGE_DATE, type FleetWorld } from '../helpers/fleet-world.js';

let world: FleetWorld;
beforeAll(() => {
  world = fleetWorld();
  const m = world.mirrors;
  world.writeFleet([
    { name: 'globex', url: m.globex, labels: ['eu'] },
    { name: 'acme', url: m.acme, labels: ['eu', 'gold'] },
    { name: 'hooli', url: m.hooli, labels: ['us'] },
    { name: 'empty', url: m.empty },
    { name: 'gone', url: m.gone, labels: ['us'] },
  ]);
});

describe('mirror fleet status (git facts)', () => {
  it('reports every mirror exactly: ahead, behind, last merge from upstream, unreachable, missing branch; exit 1', () => {
    const run = world.control.mirror(['fleet', 'status', '--json', '--jobs', '3']);
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    const rows = Object.fromEntries(status.mirrors.map((row: { name: string; level: string; git: unknown }) => [row.name, { level: row.level, git: row.git }]));
    expect(rows).toEqual({
      globex: { level: 'ok', git: { state: 'ok', ahead: 0, behind: 0 } },
      acme: { level: 'fail', git: { state: 'ok', ahead: 2, behind: 1, lastMerge: { commit: world.ids.acmeMerge, date: MERGE_DATE.replace('Z', '+00:00') } } },
      hooli: { level: 'fail', git: { state: 'ok', ahead: 0, behind: 2 } },
      empty: { level: 'fail', git: { state: 'no-branch', branch: 'main' } },
      gone: { level: 'fail', git: { state: 'unreachable', error: expect.stringContaining('gone.git') } },
    });
    expect(status.mirrors.map((row: { name: string }) => row.name)).toEqual(['globex', 'acme', 'hooli', 'empty', 'gone']);
    expect(status.summary).toEqual({ mirrors: 5, ok: 1, warn: 0, fail: 4, unreachable: 1, behind: 2, forgeSkipped: 5, drifted: 0, requests: 0, notModified: 0 });
    for (const row of status.mirrors) expect(row.forge).toEqual({ state: 'skipped', reason: 'the URL names no forge repository' });
  });

  it('keeps one shared cache with each mirror under its own ref namespace', () => {
    const cache = join(world.control.dir, '.git', 'mirror', 'fleet-cache');
    expect(existsSync(join(cache, 'HEAD'))).toBe(true);
    const refs = world.sandbox.git(cache, ['for-each-ref', '--format=%(refname)']).split('\n').sort();
    expect(refs).toEqual(['refs/fleet/acme/heads/main', 'refs/fleet/globex/heads/main', 'refs/fleet/hooli/heads/main', 'refs/upstream/heads/main']);
  });

  it('text output: a table, what needs attention, the summary line', () => {
    const run = world.control.mirror(['fleet', 'status', '--label', 'us']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗\s+hooli\s+0\s+2\s+never\s+skipped\s+skipped/);
    expect(run.stdout).toContain('✗ gone: unreachable:');
    expect(run.stdout).toContain('✗ hooli: 2 commit(s) behind upstream');
    expect(run.stdout).not.toContain('globex');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 mirror(s), 0 ok, 0 warn, 2 fail, 1 unreachable, 1 behind upstream, forge facts skipped for 2');
  });

  it('--label selects, --max-behind tolerates lag, --format markdown renders a table; exit 0 when all pass', () => {
    const run = world.control.mirror(['fleet', 'status', '--label', 'eu', '--max-behind', '1', '--format', 'markdown']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('| ✓ | acme | 2 | 1 | 2026-02-03T04:05:06+00:00 | skipped | skipped |');
    expect(run.stdout).toContain('| ✓ | globex | 0 | 0 | never | skipped | skipped |');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('2 mirror(s), 2 ok, 0 warn, 0 fail, 1 behind upstream, forge facts skipped for 2');
  });

  it('a bad fleet file is a configuration error (exit 2) naming the field', () => {
    const other = fleetWorldFile(world, 'version: 1\nupstream:\n  url: x\nmirrors:\n  - name: a\n    url: y\n');
    const run = world.control.mirror(['fleet', 'status', '--file', other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("must have required property 'forge'");
  });
});

function fleetWorldFile(w: FleetWorld, text: string): string {
  w.control.write('other-fleet.yml', text);
  return join(w.control.dir, 'other-fleet.yml');
}
