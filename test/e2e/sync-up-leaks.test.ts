import { describe, expect, it } from 'vitest';
import { syncWorld } from '../helpers/sync-world.js';
import type { World } from '../helpers/world.js';

interface Planned {
  oid: string;
  subject: string;
  class: string;
  reasons: string[];
  replay: boolean;
}
const plan = (world: World, ...args: string[]) => {
  const run = world.repo.mirror(['sync-up', '--dry-run', '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return Object.fromEntries((JSON.parse(run.stdout).plan.commits as Planned[]).map((commit) => [commit.subject, commit]));
};
/** every path in every commit that reached the public upstream */
const upstreamPaths = (world: World) =>
  world.sandbox
    .git(world.upstream, ['log', '--all', '--raw', '--no-renames', '--format=', '-z'])
    .split('\0')
    .filter((token) => token && !token.startsWith(':'));

describe('sync-up: private files copied into a public path', () => {
  it('refuses a copy made in the commit that adds the private file, naming both paths, and publishes none of it', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.write('private/customer.md', 'Acme pays 12k a year\n').write('docs/customer.md', 'Acme pays 12k a year\n').commit('Customer notes');
    const bySubject = plan(world);
    expect(bySubject['Customer notes']).toMatchObject({ class: 'blocked', replay: false });
    expect(bySubject['Customer notes']!.reasons.join()).toMatch(/public docs\/customer\.md has exactly the content of private private\/customer\.md/);

    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(upstreamPaths(world)).toContain('src/a.js');
    expect(upstreamPaths(world).filter((path) => path.includes('customer'))).toEqual([]);
  });

  it('refuses a copy that differs only in whitespace (indentation, line ends, wrapping), from the parent or the same commit', () => {
    const world = syncWorld();
    world.repo.write('private/customer.md', 'Acme pays 12k a year\nfor the premium plan\n').commit('Customer');
    world.repo.write('docs/customer.md', '  Acme pays 12k a year   for the premium plan\r\n').commit('Copy, reformatted');
    world.repo.write('private/terms.md', 'Globex: net 90 days\n').write('docs/terms.txt', 'Globex:\tnet 90\ndays').commit('Terms, reformatted');
    world.repo.write('docs/other.md', 'Acme pays 13k a year for the premium plan\n').commit('Edited words');
    const bySubject = plan(world);
    expect(bySubject['Copy, reformatted']!.class).toBe('blocked');
    expect(bySubject['Copy, reformatted']!.reasons.join()).toMatch(/public docs\/customer\.md has the content \(up to whitespace\) of private private\/customer\.md/);
    expect(bySubject['Terms, reformatted']!.class).toBe('blocked');
    expect(bySubject['Terms, reformatted']!.reasons.join()).toMatch(/public docs\/terms\.txt .* private private\/terms\.md/);
    // the check is about copies, not likeness: other words are other content
    expect(bySubject['Edited words']!.class).toBe('public');
  });
});
