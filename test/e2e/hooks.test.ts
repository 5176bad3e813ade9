import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsAccessKeyId } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

describe('mirror hook install / uninstall', () => {
  it('installs a tiny pre-push hook (and pre-commit on request) and is idempotent', () => {
    const world = mirrorWorld({ hook: false });
    const first = world.repo.mirror(['hook', 'install', '--pre-commit', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).hooks.map((h: { status: string }) => h.status)).toEqual(['installed', 'installed']);
    const script = readFileSync(join(world.repo.dir, '.git', 'hooks', 'pre-push'), 'utf8');
    expect(script.split('\n').length).toBeLessThan(16);
    const again = JSON.parse(world.repo.mirror(['hook', 'install', '--pre-commit', '--json']).stdout);
    expect(again.hooks.map((h: { status: string }) => h.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('the pre-commit hook refuses a staged secret in a real git commit', () => {
    const world = mirrorWorld({ hook: false });
    world.repo.mirror(['hook', 'install', '--pre-commit']);
    world.repo.write('x.env.sample', `ID=${awsAccessKeyId()}\n`);
    world.repo.git('add', '-A');
    const commit = world.repo.tryGit('commit', '-m', 'with secret');
    expect(commit.code).not.toBe(0);
    expect(commit.stdout + commit.stderr).toContain('x.env.sample:1');
  });

  it('respects core.hooksPath (husky, lefthook) and chains the hook it finds there', () => {
    const world = mirrorWorld({ hook: false });
    const hooks = join(world.repo.dir, '.husky', '_');
    mkdirSync(hooks, { recursive: true });
    world.repo.git('config', 'core.hooksPath', '.husky/_');
    const marker = join(world.sandbox.root, 'chained-ran');
    writeFileSync(join(hooks, 'pre-push'), `#!/bin/sh\ncat > "${marker}"\nexit 0\n`);
    chmodSync(join(hooks, 'pre-push'), 0o755);

    const install = JSON.parse(world.repo.mirror(['hook', 'install', '--json']).stdout);
    expect(install.directory).toBe(hooks);
    expect(install.hooks[0].chained).toBe(join(hooks, 'pre-push.pre-mirror'));

    world.repo.write('private/p.md', 'p\n').commit('Private');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(readFileSync(marker, 'utf8')).toMatch(/^refs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}/);
    expect(push.stderr).toContain('private/p.md');

    world.repo.mirror(['hook', 'uninstall']);
    expect(readFileSync(join(hooks, 'pre-push'), 'utf8')).toContain('cat >');
    expect(existsSync(join(hooks, 'pre-push.pre-mirror'))).toBe(false);
  });

  it('a chained hook that refuses stops the push before mirror runs', () => {
    const world = mirrorWorld({ hook: false });
    const hook = join(world.repo.dir, '.git', 'hooks', 'pre-push');
    writeFileSync(hook, '#!/bin/sh\necho "team hook says no" >&2\nexit 7\n');
    chmodSync(hook, 0o755);
    world.repo.mirror(['hook', 'install']);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('team hook says no');
    expect(push.stderr).not.toContain('mirror push to');
  });

  it('refuses the push when mirror itself has gone missing (fail closed)', () => {
    const world = mirrorWorld();
    const hook = join(world.repo.dir, '.git', 'hooks', 'pre-push');
    writeFileSync(hook, readFileSync(hook, 'utf8').replace(/^mirror=.*$/m, "mirror='/nonexistent/run.js'"));
    const push = world.repo.tryGit('push', 'origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('cannot find mirror');
  });
});
