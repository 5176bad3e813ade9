import { describe, expect, it } from 'vitest';
import { createZoneMatcher, resolveLinkTarget } from '../../src/core/zones.js';
import { compileGlob } from '../../src/policy/globs.js';

function matcher(zones: { name: string; include: string[]; exclude?: string[] }[]) {
  return createZoneMatcher(
    zones.map((zone) => ({
      name: zone.name,
      description: '',
      include: zone.include.flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
      exclude: (zone.exclude ?? []).flatMap((glob) => compileGlob(glob).map((pattern) => ({ glob, pattern }))),
    })),
  );
}

describe('private zones', () => {
  const inZone = matcher([
    { name: 'private-dir', include: ['private/**'] },
    { name: 'local', include: ['**/*.local.*', '**/*.local'] },
    { name: 'dotenv', include: ['**/.env', '**/.env.*'], exclude: ['**/.env.example'] },
  ]);

  it.each([
    ['private/a.txt', 'private-dir'],
    ['private/deep/er/x.bin', 'private-dir'],
    ['Private/a.txt', 'private-dir'],
    ['PRIVATE/A.TXT', 'private-dir'],
    ['private', 'private-dir'],
    ['config/settings.local.json', 'local'],
    ['.hidden/app.local', 'local'],
    ['Settings.LOCAL.yaml', 'local'],
    ['.env', 'dotenv'],
    ['services/api/.env.production', 'dotenv'],
  ])('%s is in zone %s', (path, zone) => {
    expect(inZone(path)?.zone).toBe(zone);
  });

  it.each(['public/private.txt', 'src/privateer.ts', 'docs/local.md', '.env.example', 'app/.env.example', 'privatefile'])(
    '%s is in no zone',
    (path) => {
      expect(inZone(path)).toBeUndefined();
    },
  );

  it('matches after Unicode normalisation: decomposed and composed spellings are one path', () => {
    const accented = matcher([{ name: 'clients', include: ['clients/café/**'] }]);
    expect(accented('clients/cafe\u0301/menu.txt')?.zone).toBe('clients');
    expect(accented('clients/caf\u00e9/menu.txt')?.zone).toBe('clients');
    expect(accented('CLIENTS/CAFÉ/menu.txt')?.zone).toBe('clients');
  });
});

describe('symlink targets', () => {
  it.each([
    ['docs/link', '../private/x', 'private/x'],
    ['link', 'private/secret.txt', 'private/secret.txt'],
    ['a/b/c', '../../d', 'd'],
    ['a/link', './x/./y', 'a/x/y'],
  ])('%s -> %s resolves to %s', (link, target, expected) => {
    expect(resolveLinkTarget(link, target)).toBe(expected);
  });

  it('targets outside the repository resolve to nothing', () => {
    expect(resolveLinkTarget('link', '/etc/passwd')).toBeUndefined();
    expect(resolveLinkTarget('a/link', '../../outside')).toBeUndefined();
  });
});
