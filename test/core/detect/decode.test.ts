/** Encoded secrets: every rule applies to decoded text, reported at the encoded span. */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSegments } from '../../../src/core/detect/decode.js';
import type { Detector } from '../../../src/core/detect/index.js';
import { githubToken, randomFrom, slackBotToken } from '../../helpers/tokens.js';
import { defaultDetector } from './policy.js';

let detector: Detector;
beforeAll(async () => {
  detector = await defaultDetector();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const hex = (s: string) => Buffer.from(s).toString('hex');
const percentAll = (s: string) => [...s].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()).join('');
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const gh = githubToken();
const slack = slackBotToken();
const password = randomFrom(BASE62, 20);
const cases: Array<{ name: string; secret: string; encoded: string; rule: RegExp; encoding: string }> = [
  { name: 'base64', secret: gh, encoded: b64(gh), rule: /^github/, encoding: 'base64' },
  { name: 'base64url', secret: gh, encoded: b64url(`${gh}??>>`), rule: /^github/, encoding: 'base64url' },
  { name: 'hex', secret: slack, encoded: hex(slack), rule: /^slack/, encoding: 'hex' },
  { name: 'percent-encoding', secret: slack, encoded: percentAll(slack), rule: /^slack/, encoding: 'percent' },
  { name: 'JSON \\u escape', secret: slack, encoded: slack.replace('-', '\\u002d'), rule: /^slack/, encoding: 'json-escape' },
  {
    name: 'JS \\/ escape (a URL with a password)',
    secret: password,
    encoded: `https:\\/\\/deploy:${password}@db.example.org`,
    rule: /url-with-password/,
    encoding: 'json-escape',
  },
  {
    name: 'depth 2: base64 of JSON with an escaped token',
    secret: slack,
    encoded: b64(JSON.stringify({ token: slack.replace('-', '\\u002d') }).replace(/\\\\/g, '\\')),
    rule: /^slack/,
    encoding: 'base64/json-escape',
  },
];

describe('encoded secrets', () => {
  it.each(cases)('$name: found decoded, at the encoded span, redacted', ({ secret, encoded, rule, encoding }) => {
    const text = `# config\n\nvalue: "${encoded}"\n`;
    const findings = detector.scan(text, { kind: 'content', path: 'config/app.yml' }).filter((f) => !f.suppressed);
    const found = findings.find((f) => rule.test(f.ruleId));
    expect(found, JSON.stringify(findings)).toBeDefined();
    expect(found).toMatchObject({ line: 3, column: 'value: "'.length + 1, encoding });
    const shown = JSON.stringify(findings);
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(encoded);
    expect(shown).not.toContain(secret.slice(6));
  });

  it('a plainly visible token is reported once, without an encoding', () => {
    const findings = detector.scan(`token = "${gh}"\n`, { kind: 'content', path: 'a.txt' });
    expect(findings.filter((f) => f.ruleId.startsWith('github'))).toHaveLength(1);
    expect(findings[0]!.encoding).toBeUndefined();
  });

  it('a secret reached through two encodings of one span is reported once', () => {
    const findings = detector.scan(`x = ${b64(`a=${gh}`)}\ny = ${b64(gh)}\n`, { kind: 'content', path: 'a.txt' });
    expect(findings.map((f) => [f.line, f.encoding])).toEqual([
      [1, 'base64'],
      [2, 'base64'],
    ]);
  });

  it('only reports lines the caller asks for (added lines of a diff)', () => {
    const text = `a: ${b64(gh)}\nb: ${b64(slack)}\n`;
    const findings = detector.scan(text, { kind: 'content', path: 'a.txt' }, { isReportedLine: (l) => l === 2 });
    expect(findings.map((f) => f.line)).toEqual([2]);
  });
});

describe('near misses cost little and report nothing', () => {
  const binary = randomBytes(3000).toString('base64');
  const gibberish = b64(randomFrom('abcdefghijklmnopqrstuvwxyz ,.', 200));
  it.each([
    ['random binary as base64 (an image)', binary],
    ['a git object id (hex of binary)', randomBytes(20).toString('hex')],
    ['an identifier-looking run', 'getElementsByTagNameAndClassName'],
    ['a path', 'src/core/detect/decode/segments/index'],
  ])('%s is not decoded', (_, blob) => {
    expect(decodeSegments(`x = "${blob}"`)).toEqual([]);
    expect(detector.scan(`x = "${blob}"\n`, { kind: 'content', path: 'a.txt' })).toEqual([]);
  });
  it('base64 of harmless text is decoded, and nothing is found in it', () => {
    expect(decodeSegments(gibberish)).toHaveLength(1);
    expect(detector.scan(`x = "${gibberish}"\n`, { kind: 'content', path: 'a.txt' })).toEqual([]);
  });
  it('padding that cannot be base64 is not decoded', () => {
    const body = b64(gh.slice(0, 39));
    expect(decodeSegments(body)).toHaveLength(1);
    expect(decodeSegments(`${body}a`)).toEqual([]);
    expect(decodeSegments(`${body}ab=`)).toEqual([]);
  });
  it('the global path allowlist (lock files) applies to decoded text too', () => {
    expect(detector.scan(`"integrity": "${b64(gh)}"\n`, { kind: 'content', path: 'package-lock.json' })).toEqual([]);
  });
});

describe('Docker client config', () => {
  const registryPassword = randomFrom(BASE62, 24);
  const config = JSON.stringify({ auths: { 'registry.example.org': { auth: b64(`deploy:${registryPassword}`) } } }, null, 2);

  it('auths.<registry>.auth (base64 of user:password) is a credential, located at the value', () => {
    const findings = detector.scan(config, { kind: 'content', path: '.docker/config.json' });
    const found = findings.find((f) => f.ruleId === 'docker-config-auth');
    expect(found, JSON.stringify(findings)).toBeDefined();
    const lines = config.split('\n');
    expect(found!.line).toBe(lines.findIndex((l) => l.includes('"auth"')) + 1);
    expect(found!.column).toBe(lines[found!.line - 1]!.indexOf(b64('deploy')) + 1);
    expect(JSON.stringify(findings)).not.toContain(registryPassword);
  });

  it('a user without a password is not a credential', () => {
    const bare = JSON.stringify({ auths: { 'r.example.org': { auth: b64('deploy-user-only') } } });
    expect(detector.scan(bare, { kind: 'content', path: 'config.json' }).filter((f) => f.ruleId === 'docker-config-auth')).toEqual([]);
  });

  it('a Kubernetes Secret of type dockerconfigjson: found through the data: value (depth 2)', () => {
    const manifest = ['apiVersion: v1', 'kind: Secret', 'type: kubernetes.io/dockerconfigjson', 'data:', `  .dockerconfigjson: ${b64(config.replace(/\s+/g, ''))}`, ''].join('\n');
    const findings = detector.scan(manifest, { kind: 'content', path: 'k8s/pull-secret.yml' });
    const found = findings.find((f) => f.ruleId === 'docker-config-auth');
    expect(found, JSON.stringify(findings)).toMatchObject({ line: 5, column: '  .dockerconfigjson: '.length + 1, encoding: 'base64' });
    expect(JSON.stringify(findings)).not.toContain(registryPassword);
  });
});
