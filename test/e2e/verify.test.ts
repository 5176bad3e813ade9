import { describe, expect, it } from 'vitest';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { awsAccessKeyId } from '../helpers/tokens.js';

describe('mirror verify', () => {
  it('finds what should never have reached upstream, in its whole history', () => {
    const world = syncWorld();
    const key = awsAccessKeyId();
    upstreamCommits(world, [{ files: { 'private/leaked.md': 'customer\n', 'src/cfg.js': `k = "${key}"\n` }, message: 'Oops' }], { fetch: true });
    upstreamCommits(world, [{ files: { 'src/clean.js': 'c\n' }, message: 'Later work' }], { fetch: true });
    const run = world.repo.mirror(['verify', '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    const kinds = result.report.violations.map((v: { type: string }) => v.type).sort();
    expect(kinds).toEqual(['private-path', 'secret']);
    expect(result.recorded).toBe(false);
    expect(run.stdout).not.toContain(key);
  });

  it('records the verified point after a clean run and starts from it next time', () => {
    const world = syncWorld();
    const first = JSON.parse(world.repo.mirror(['verify', '--json']).stdout);
    expect(first.recorded).toBe(true);
    expect(first.report.stats.commits).toBeGreaterThan(0);
    upstreamCommits(world, [{ files: { 'src/new.js': 'n\n' }, message: 'New upstream work' }], { fetch: true });
    const second = JSON.parse(world.repo.mirror(['verify', '--json']).stdout);
    expect(second.since).toBeDefined();
    expect(second.report.stats.commits).toBe(1);
    const full = JSON.parse(world.repo.mirror(['verify', '--json', '--full', '--no-record']).stdout);
    expect(full.report.stats.commits).toBeGreaterThan(1);
  });

  it('reports drift and what explains it', () => {
    const world = syncWorld();
    world.repo.write('src/mine.js', 'waiting to go up\n').commit('Mirror work');
    world.repo.write('private/p.md', 'p\n').commit('Private');
    upstreamCommits(world, [{ files: { 'src/theirs.js': 'new upstream\n' }, message: 'Upstream work' }], { fetch: true });
    world.repo.git('update-ref', 'refs/heads/side', 'HEAD');
    world.repo.write('src/app.js', 'export const app = "hand-edited";\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'Edit app', '--no-verify');
    const run = world.repo.mirror(['verify', '--json', '--fail-on-drift']);
    const drift = JSON.parse(run.stdout).drift as { path: string; kind: string; explanation: string }[];
    const byPath = Object.fromEntries(drift.map((entry) => [entry.path, entry]));
    expect(byPath['src/mine.js']).toMatchObject({ kind: 'mirror-only', explanation: 'sync-up' });
    expect(byPath['src/theirs.js']).toMatchObject({ kind: 'upstream-only', explanation: 'sync-down' });
    expect(byPath['src/app.js']).toMatchObject({ kind: 'different', explanation: 'sync-up' });
    expect(byPath['private/p.md']).toBeUndefined();
    expect(run.code).toBe(0);
  });

  it('explains drift held back by sync-up, and flags drift made outside the flow', () => {
    const world = syncWorld();
    world.repo.write('src/cfg.js', `k = "${awsAccessKeyId()}"\n`).commit('Blocked: carries a key');
    upstreamCommits(world, [{ files: { 'src/u.js': 'u\n' }, message: 'Upstream work' }], { fetch: true });
    // an edit made inside a merge commit: no candidate commit explains it
    world.repo.git('merge', '-q', '--no-commit', 'upstream/main');
    world.repo.write('README.md', 'edited during the merge\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--no-edit');
    const run = world.repo.mirror(['verify', '--json', '--fail-on-drift']);
    const drift = JSON.parse(run.stdout).drift as { path: string; explanation: string }[];
    const byPath = Object.fromEntries(drift.map((entry) => [entry.path, entry.explanation]));
    expect(byPath['src/cfg.js']).toBe('held-back');
    expect(byPath['README.md']).toBe('unexplained');
    expect(run.code).toBe(1);
    expect(world.repo.mirror(['verify']).code).toBe(0);
  });
});
