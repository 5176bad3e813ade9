/**
 * Credential files (.npmrc, .yarnrc.yml, .pypirc, .netrc, .git-credentials) are judged
 * by content: settings pass, a credential is found. Low-value test fixtures (plain-word
 * Basic credentials in test files) are not reported; key material stays a zone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../../src/core/detect/index.js';
import { isLowValueTestCredential, isTestPath } from '../../../src/core/detect/low-value.js';
import { createZoneMatcher } from '../../../src/core/zones.js';
import { readDefaultPolicy } from '../../../src/policy/load.js';
import { resolvePolicy } from '../../../src/policy/resolve.js';
import { defaultDetector } from './policy.js';
import { BASE62, BASE64, Prng } from './samples.js';

let detector: Detector;
beforeAll(async () => {
  detector = await defaultDetector();
});

const rng = new Prng(4242);
const token = rng.pick(BASE62, 36);
const basicOf = (credential: string) => Buffer.from(credential).toString('base64');
// named, so this file's own source holds `${pw}`-style templates rather than a password-shaped call
const pw16 = rng.pick(BASE62, 16);
const pw24 = rng.pick(BASE62, 24);

function rulesFound(text: string, path: string): string[] {
  return detector
    .scan(text, { kind: 'content', path })
    .filter((f) => !f.suppressed)
    .map((f) => f.ruleId);
}

describe('credential files with settings only pass', () => {
  it.each([
    ['.npmrc', 'package-lock=false\nmin-release-age=7\nignore-scripts=true\nallow-git=none\n'],
    ['.npmrc', 'registry=https://registry.npmjs.org/\n@acme:registry=https://npm.acme.dev/\nsave-exact=true\n'],
    ['.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'],
    ['.yarnrc.yml', 'nodeLinker: node-modules\nenableGlobalCache: false\nnpmRegistryServer: "https://registry.yarnpkg.com"\n'],
    ['.yarnrc.yml', 'npmScopes:\n  acme:\n    npmAuthToken: "${NPM_TOKEN}"\n'],
    ['.pypirc', '[distutils]\nindex-servers =\n  pypi\n  testpypi\n\n[pypi]\nrepository = https://upload.pypi.org/legacy/\n'],
    ['.netrc', 'machine api.example.org\n  login deploy\n'],
    ['.git-credentials', ''],
  ])('%s: %j', (path, text) => {
    expect(rulesFound(text, path)).toEqual([]);
  });
});

describe('credential files carrying a credential are found', () => {
  it.each([
    ['.npmrc', `//registry.npmjs.org/:_authToken=${token}\n`, 'npmrc-auth-token'],
    ['.npmrc', `registry=https://npm.acme.dev/\n_auth=${basicOf(`deploy:${rng.pick(BASE62, 20)}`)}\n`, 'npmrc-auth-token'],
    ['.npmrc', `//npm.acme.dev/:username=deploy\n//npm.acme.dev/:_password=${basicOf(rng.pick(BASE62, 18))}\n`, 'npmrc-auth-token'],
    ['.yarnrc.yml', `npmScopes:\n  acme:\n    npmAuthToken: "${token}"\n`, 'yarnrc-auth-token'],
    ['.yarnrc.yml', `npmAuthIdent: "deploy:${pw16}"\n`, 'yarnrc-auth-token'],
    ['.pypirc', `[acme]\nrepository = https://pypi.acme.dev/\nusername = deploy\npassword = ${rng.pick(BASE62, 14)}\n`, 'ini-username-password'],
    ['.netrc', `machine api.acme.dev\n  login deploy\n  password ${pw24}\n`, 'netrc-password'],
    ['.netrc', `machine git.acme.dev login deploy password ${pw16}\n`, 'netrc-password'],
    ['.git-credentials', `https://deploy:${rng.pick(BASE62, 24)}@git.acme.dev\n`, 'url-with-password'],
  ])('%s (%s)', (path, text, rule) => {
    expect(rulesFound(text, path)).toEqual([rule]);
  });
});

describe('low-value test credentials', () => {
  // express's test/req.auth.js: `tobi:ferret` and `tobi:ferret:ferret`
  const fixture = (credential: string) => `request(app)\n  .get('/')\n  .set('Authorization', 'Basic ${basicOf(credential)}')\n`;

  it.each(['tobi:ferret', 'tobi:ferret:ferret', 'admin:secret1', 'Aladdin:sesame'])('%s in a test file passes', (credential) => {
    expect(rulesFound(fixture(credential), 'test/req.auth.js')).toEqual([]);
    expect(rulesFound(fixture(credential), 'src/__tests__/auth.spec.ts')).toEqual([]);
  });

  it('the same line outside test files is reported', () => {
    expect(rulesFound(fixture('tobi:ferret'), 'src/client.js')).toEqual(['authorization-basic-credentials']);
  });

  it('a generated password in a test file is still reported', () => {
    expect(rulesFound(fixture(`tobi:${rng.pick(BASE64, 24)}`), 'test/req.auth.js')).toEqual(['authorization-basic-credentials']);
  });

  it('a plain-word password in a URL of a test file passes; a random one does not', () => {
    expect(rulesFound('const url = "https://tobi:ferretfoo@localhost:3000/";\n', 'test/url.test.js')).toEqual([]);
    expect(rulesFound(`const url = "https://tobi:${rng.pick(BASE62, 20)}@localhost:3000/";\n`, 'test/url.test.js')).toEqual(['url-with-password']);
  });

  it.each([
    ['test/req.auth.js', true],
    ['tests/unit/a.py', true],
    ['pkg/auth_test.go', true],
    ['src/app.spec.ts', true],
    ['app/test_views.py', true],
    ['spec/fixtures/users.yml', true],
    ['src/contest.js', false],
    ['src/latest/app.js', false],
    ['docs/testing.md', false],
  ])('isTestPath(%s) = %s', (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });

  it('needs both a test path and plain words', () => {
    expect(isLowValueTestCredential(basicOf('tobi:ferret'), 'test/a.js')).toBe(true);
    expect(isLowValueTestCredential(basicOf('tobi:ferret'), 'lib/a.js')).toBe(false);
    expect(isLowValueTestCredential(basicOf(`tobi:${rng.pick(BASE62, 12)}`), 'test/a.js')).toBe(false);
    expect(isLowValueTestCredential('hunter', 'test/a.js')).toBe(true);
    expect(isLowValueTestCredential('Xk9vQ2mP', 'test/a.js')).toBe(false);
  });
});

describe('zones of the default policy', () => {
  it('name key material but not credential files judged by content', async () => {
    const result = await resolvePolicy(readDefaultPolicy());
    if (!result.ok) throw new Error('default policy invalid');
    const inZone = createZoneMatcher(result.compiled.zones);
    for (const path of ['.npmrc', 'app/.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '.git-credentials']) expect(inZone(path), path).toBeUndefined();
    for (const path of ['id_rsa', 'keys/id_ed25519', 'certs/client.p12', 'certs/site.pfx', 'release.jks', 'vault.kdbx', 'keys/server.ppk']) {
      expect(inZone(path)?.zone, path).toBe('key-material');
    }
  });
});
