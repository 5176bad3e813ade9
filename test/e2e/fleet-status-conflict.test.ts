import { beforeAll, describe, expect, it } from 'vitest';
import { fleetWorld, type FleetWorld } from '../helpers/fleet-world.js';

let world: FleetWorld;
let initech: string;

/** initech: hooli's U1 with a private change to the very lines upstream's U2 and U3 write. */
beforeAll(() => {
  world = fleetWorld();
  const { sandbox, mirrors } = world;
  initech = sandbox.bare('initech');
  const clone = sandbox.repo('initech-work');
  clone.git('fetch', '-q', mirrors.hooli, 'main');
  clone.git('reset', '-q', '--hard', 'FETCH_HEAD');
  clone.write('app.txt', 'one\ninitech only\n');
  clone.write('private/notes.txt', 'initech\n');
  clone.commit('initech: its own app line');
  clone.git('push', '-q', initech, 'HEAD:refs/heads/main');
  world.writeFleet([
    { name: 'acme', url: mirrors.acme },
    { name: 'initech', url: initech },
  ]);
});

describe('mirror fleet status: a sync-down that would conflict', () => {
  it('names the files a merge of upstream would leave in conflict, found in the bare cache without a worktree', () => {
    const run = world.control.mirror(['fleet', 'status', '--json', '--max-behind', '5']);
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    const rows = Object.fromEntries(status.mirrors.map((row: { name: string; level: string; git: unknown }) => [row.name, { level: row.level, git: row.git }]));
    // acme merges cleanly: no conflicts field at all
    expect(rows.acme).toEqual({ level: 'ok', git: expect.not.objectContaining({ conflicts: expect.anything() }) });
    expect(rows.initech).toEqual({ level: 'fail', git: { state: 'ok', ahead: 1, behind: 2, conflicts: ['app.txt'] } });
    const text = world.control.mirror(['fleet', 'status', '--max-behind', '5']);
    expect(text.stdout).toContain('✗ initech: merging upstream would conflict in app.txt: resolve it with `mirror sync-down` in a clone');
  });
});
