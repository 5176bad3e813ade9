import { describe, expect, it } from 'vitest';
import { mirrorWorld } from '../helpers/world.js';

describe('mirror policy check', () => {
  it('explains the effective policy, remote classes included', () => {
    const world = mirrorWorld();
    const run = world.repo.mirror(['policy', 'check']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ valid');
    expect(run.stdout).toMatch(/origin → private/);
    expect(run.stdout).toMatch(/upstream → public/);
    expect(run.stdout).toMatch(/secret rules: \d+/);
  });

  it('--json returns the explanation as data', () => {
    const world = mirrorWorld();
    const data = JSON.parse(world.repo.mirror(['policy', 'check', '--json']).stdout);
    expect(data.valid).toBe(true);
    expect(data.effective.zones.map((zone: { name: string }) => zone.name)).toContain('private-dir');
  });

  it('reports a broken policy with file, line and field, exit 2', () => {
    const world = mirrorWorld();
    world.repo.policy('remotes:\n  private: [origin]\nrules:\n  add:\n    - id: slow\n      description: nested\n      regex: "(x+x+)+y"\n');
    const run = world.repo.mirror(['policy', 'check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/\.mirror\/policy\.yml:7:\d+ rules\.add\[0\]\.regex: this regex can backtrack catastrophically/);
  });

  it('never prints private identifiers, only how many were loaded', () => {
    const world = mirrorWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'client=Initech' } });
    const run = world.repo.mirror(['policy', 'check']);
    expect(run.stdout).toMatch(/private identifiers: 1 loaded/);
    expect(run.stdout).not.toContain('Initech');
  });
});
