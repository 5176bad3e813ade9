import { describe, expect, it } from 'vitest';
import { parseFleet, selectMirrors } from '../../src/fleet/load.js';

const FILE = '/ctl/.mirror/fleet.yml';

describe('fleet file', () => {
  it('applies defaults: upstream branch main, each mirror following it, no labels', () => {
    const result = parseFleet(FILE, 'version: 1\nupstream:\n  url: https://example.invalid/app.git\nmirrors:\n  - name: a\n    url: /srv/a.git\n    forge: forgejo\n');
    expect(result).toEqual({
      ok: true,
      fleet: {
        file: FILE,
        upstream: { url: 'https://example.invalid/app.git', branch: 'main' },
        mirrors: [{ name: 'a', url: '/srv/a.git', forge: 'forgejo', apiUrl: undefined, defaultBranch: 'main', labels: [] }],
      },
    });
  });

  it('reports every error with file, line and field: unknown key, bad forge, bad name, duplicate name', () => {
    const text = [
      'version: 1',
      'upstream:',
      '  url: https://example.invalid/app.git',
      'mirrors:',
      '  - name: initech',
      '    url: /srv/a.git',
      '    forge: github',
      '  - name: initech',
      '    url: /srv/b.git',
      '    forge: gitlab',
      '    colour: red',
      '  - name: Bad Name',
      '    url: /srv/c.git',
      '    forge: github',
    ].join('\n');
    const result = parseFleet(FILE, text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const shown = result.errors.map((error) => `${error.line} ${error.field}: ${error.message}`).sort();
    expect(shown).toEqual(
      [
        '10 mirrors[1].forge: must be one of: github, forgejo',
        '11 mirrors[1].colour: unknown key "colour" (expected one of: name, url, forge, apiUrl, defaultBranch, expect, labels)',
        '12 mirrors[2].name: must match pattern "^[a-z0-9][a-z0-9._-]{0,62}$"',
        '8 mirrors[1].name: "initech" is already the name of mirrors[0]',
      ].sort(),
    );
    expect(result.errors.every((error) => error.file === FILE)).toBe(true);
  });

  it('reports a missing upstream and an empty mirror list', () => {
    const result = parseFleet(FILE, 'version: 1\nmirrors: []\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => `${error.field}: ${error.message}`).sort()).toEqual([
      "(top level): must have required property 'upstream'",
      'mirrors: must NOT have fewer than 1 items',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const result = parseFleet(FILE, 'version: 1\nupstream: [\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ file: FILE, line: expect.any(Number), message: expect.stringMatching(/^YAML: /) });
  });

  it('selects mirrors carrying every label asked for', () => {
    const mirror = (name: string, labels: string[]) => ({ name, url: name, forge: 'github' as const, apiUrl: undefined, defaultBranch: 'main', labels });
    const all = [mirror('a', ['eu', 'gold']), mirror('b', ['eu']), mirror('c', [])];
    expect(selectMirrors(all, []).map((m) => m.name)).toEqual(['a', 'b', 'c']);
    expect(selectMirrors(all, ['eu']).map((m) => m.name)).toEqual(['a', 'b']);
    expect(selectMirrors(all, ['eu', 'gold']).map((m) => m.name)).toEqual(['a']);
  });
});
