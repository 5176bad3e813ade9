import { describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';

describe('mirror demo', () => {
  it('narrates every step and every expectation holds', () => {
    const sandbox = new Sandbox();
    const run = sandbox.mirror(sandbox.root, ['demo']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ every step behaved as described');
    // the refused pushes print ✗ inside their output; the demo's own expectations must all hold
    expect(run.stdout).not.toMatch(/^  ✗ /m);
    expect(run.stdout.match(/^  ✓ /gm)?.length).toBeGreaterThanOrEqual(5);
    expect(run.stdout).toMatch(/AKIA\*+/);
    expect(run.stdout).not.toMatch(/AKIA[A-Z2-7]{16}/);
    expect(run.stdout).toContain('the sandbox was removed');
    // the experiment chapter ran against the demo's own Actions server
    expect(run.stdout).toContain('✓ compare puts inputs and metrics side by side');
    expect(run.stdout).toMatch(/^ +\d+ +success +sample +--lr 0\.01 +lr-0\.01 +0\.95/m);
    // the fleet chapter: three mirrors, one behind, one conflicting, from a local control folder
    expect(run.stdout).toContain('✓ initech is 1 commit behind upstream and merges cleanly');
    expect(run.stdout).toContain('✓ hooli would conflict in src/app.js on its next sync-down');
    expect(run.stdout).toMatch(/^ +✓\s+globex\s+0\s+0\s/m);
  });
});
