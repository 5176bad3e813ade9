import { describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';

const FLEET = 'version: 1\nupstream:\n  url: https://example.invalid/app.git\nmirrors:\n  - name: initech\n    url: /srv/initech.git\n    forge: github\n    labels: [eu]\n';

function control(options: { origin?: string; policy?: string } = {}) {
  const sandbox = new Sandbox();
  const repo = sandbox.repo('control');
  if (options.origin) repo.git('remote', 'add', 'origin', options.origin);
  if (options.policy) repo.policy(options.policy);
  repo.write('.mirror/fleet.yml', FLEET);
  return repo;
}

describe('mirror fleet check', () => {
  it('explains a valid fleet file from a checkout whose origin is private', () => {
    const repo = control({ origin: 'https://example.invalid/acme/control.git', policy: 'remotes:\n  private: [origin]\n' });
    const run = repo.mirror(['fleet', 'check']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ valid');
    expect(run.stdout).toMatch(/initech\s+github\s+main\s+\[eu\]/);
  });

  it('refuses to run from a checkout whose origin is classed public (exit 2)', () => {
    const repo = control({ origin: 'https://example.invalid/acme/control.git' });
    for (const args of [['fleet', 'check'], ['fleet', 'status']]) {
      const run = repo.mirror(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('refusing to run a fleet command here: origin is classed public');
      expect(run.stdout).toBe('');
    }
  });

  it('reports schema errors with file, line and field, exit 2, also as JSON', () => {
    const repo = control();
    repo.write('.mirror/fleet.yml', FLEET.replace('forge: github', 'forge: gitlab'));
    const run = repo.mirror(['fleet', 'check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('.mirror/fleet.yml:7:12 mirrors[0].forge: must be one of: github, forgejo');
    const json = repo.mirror(['fleet', 'check', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, errors: [{ line: 7, field: 'mirrors[0].forge' }] });
  });

  it('the default policy keeps the fleet file out of public pushes', () => {
    const repo = control();
    const run = repo.mirror(['policy', 'check', '--json']);
    const zones = JSON.parse(run.stdout).effective.zones as { name: string; include: string[] }[];
    expect(zones.find((zone) => zone.name === 'fleet-file')?.include).toContain('.mirror/fleet.yml');
  });
});
