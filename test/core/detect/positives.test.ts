/**
 * Every rule finds what it is for. Provider rules: samples generated from the rule's
 * own regex (seeded), so a regex, its keywords and its filters are tested together;
 * generic rules: realistic lines in the formats they target.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDetector, fingerprint, GENERIC_TAG, shannonEntropy, type Detector } from '../../../src/core/detect/index.js';
import type { CompiledRule, DetectionConfig, Finding } from '../../../src/core/detect/types.js';
import { capture, defaultDetection } from './policy.js';
import { BASE62, BASE64, checksummedToken, githubPrefix, jwt, npmPrefix, pem, Prng, PRIVATE_KEY, sampleFor } from './samples.js';

let config: DetectionConfig;
let detector: Detector;
beforeAll(async () => {
  config = await defaultDetection();
  detector = createDetector(config);
});

const providerIds = (await defaultDetection()).rules.filter((r) => !r.tags.includes(GENERIC_TAG)).map((r) => r.id);

/** What the rule itself would drop: below its entropy floor, or allowlisted. */
function filteredOut(rule: CompiledRule, secret: string): boolean {
  const lower = secret.toLowerCase();
  if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return true;
  if ([...config.allowlist.stopwords, ...rule.allowlist.stopwords].some((w) => lower.includes(w))) return true;
  return [...config.allowlist.regexes, ...rule.allowlist.regexes].some((r) => new RegExp(r.source, r.flags).test(secret));
}

function seedOf(id: string, attempt: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h ^ Math.imul(attempt + 1, 0x9e3779b1)) >>> 0;
}

const SAMPLES_PER_RULE = 3;

describe('provider rules find regex-generated samples', () => {
  it('there are at least 150 of them', () => {
    expect(config.rules.filter((r) => r.tags.includes('provider')).length).toBeGreaterThanOrEqual(150);
  });

  it.each(providerIds)('%s', (id) => {
    const rule = config.rules.find((r) => r.id === id)!;
    let accepted = 0;
    let attempts = 0;
    for (; accepted < SAMPLES_PER_RULE && attempts < 40; attempts++) {
      const sample = sampleFor(rule, seedOf(id, attempts));
      const line = `  ${sample}`;
      const captured = capture(rule, line);
      expect(captured, `the regex matches its own sample ${JSON.stringify(sample)}`).toBeDefined();
      const { secret, index } = captured!;
      // The prefilter would never run the rule on a sample without one of its keywords.
      expect(rule.keywords.some((k) => sample.toLowerCase().includes(k)), sample).toBe(true);
      if (filteredOut(rule, secret)) continue;
      accepted++;

      const text = ['# deployment settings', 'name: demo', line, 'replicas: 2', ''].join('\n');
      const found = detector.scan(text, { kind: 'content', path: 'deploy/settings.yml' });
      const finding = found.find((f) => f.ruleId === id);
      expect(finding, `${id} on ${JSON.stringify(sample)}: ${found.map((f) => f.ruleId).join(', ')}`).toBeDefined();
      expect(finding!.line).toBe(3);
      expect(finding!.column).toBe(index + 1);
      expect(finding!.suppressed).toBeUndefined();
      expect(finding!.masked.includes(secret)).toBe(false);
      expect(finding!.masked).toMatch(/^[\x21-\x7e]{0,4}\*+$/);
      expect(finding!.fingerprint).toBe(fingerprint(id, secret));

      // The same secret elsewhere, in another file, has the same fingerprint.
      const again = detector.scan(`\n\n\n\n\nvalue:\n${line}\n`, { kind: 'content', path: 'other/place.txt' });
      expect(again.find((f) => f.ruleId === id)?.fingerprint).toBe(finding!.fingerprint);
    }
    expect(accepted, `${attempts} attempts`).toBe(SAMPLES_PER_RULE);
    // The rule's own filters must not reject most of what its regex describes.
    expect(attempts).toBeLessThanOrEqual(2 * SAMPLES_PER_RULE);
  });
});

describe('checksummed formats', () => {
  it.each([
    ['github-pat', 'p'],
    ['github-oauth-token', 'o'],
    ['github-user-to-server-token', 'u'],
    ['github-server-to-server-token', 's'],
    ['github-refresh-token', 'r'],
  ] as const)('%s reports a token whose CRC-32 holds', (id, kind) => {
    const token = checksummedToken(githubPrefix(kind), new Prng(7));
    const found = detector.scan(`GITHUB_TOKEN=${token}\n`, { kind: 'content', path: '.github/env' });
    expect(found.map((f) => f.ruleId)).toEqual([id]);
  });

  it('npm-access-token reports a token whose CRC-32 holds, in an .npmrc too', () => {
    const token = checksummedToken(npmPrefix(), new Prng(8));
    const found = detector.scan(`//registry.npmjs.org/:_authToken=${token}\n`, { kind: 'content', path: 'app/.npmrc' });
    expect(found.map((f) => f.ruleId)).toEqual(['npm-access-token']);
  });
});

describe('tokens longer than a rule\'s upper bound are still found', () => {
  it.each([
    ['aws-session-token', 'aws_session_token = ', BASE64, 356],
    ['grafana-cloud-token', 'GRAFANA_TOKEN=' + ['gl', 'c_'].join(''), BASE62, 160],
    ['openai-project-key', 'OPENAI_API_KEY=' + ['sk', '-proj-'].join(''), BASE62 + '_-', 164],
    ['onepassword-service-account-token', 'OP_SERVICE_ACCOUNT_TOKEN=' + ['ops', '_eyJ'].join(''), BASE64, 800],
  ] as const)('%s', (id, prefix, alphabet, length) => {
    const line = prefix + new Prng(length).pick(alphabet, length);
    const found = detector.scan(`${line}\n`, { kind: 'content', path: 'ci/env.txt' });
    expect(found.map((f) => f.ruleId)).toContain(id);
  });
});

interface GenericCase {
  rule: string;
  text: string;
  /** path of the scanned file */
  path?: string;
  line: number;
  endLine?: number;
}

function genericCases(): [string, GenericCase][] {
  const rng = new Prng(2024);
  const password = () => rng.pick(BASE62, 14) + '!' + rng.pick(BASE62, 3);
  const token = () => rng.pick(BASE62, 40);
  const label = (kind: string) => (kind ? `${kind} ${PRIVATE_KEY}` : PRIVATE_KEY);
  const putty = [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    'Comment: deploy@build',
    'Public-Lines: 2',
    rng.pick(BASE64, 64),
    rng.pick(BASE64, 20),
    'Private-Lines: 1',
    rng.pick(BASE64, 44),
    `Private-MAC: ${rng.pick('0123456789abcdef', 64)}`,
  ].join('\n');
  const basic = Buffer.from(`deploy:${password()}`).toString('base64');
  const cases: GenericCase[] = [
    { rule: 'private-key', text: `# key\n${pem(label('RSA'), rng)}\n`, line: 2, endLine: 11 },
    { rule: 'private-key', text: `${pem(label('EC'), rng, 3)}\n`, line: 1, endLine: 5 },
    { rule: 'private-key', text: `x\n${pem(label('OPENSSH'), rng, 4)}\n`, line: 2, endLine: 7 },
    { rule: 'private-key', text: `${pem(label(''), rng, 5)}\n`, line: 1, endLine: 7 },
    { rule: 'private-key', text: `${pem(label('DSA'), rng, 3)}\n`, line: 1, endLine: 5 },
    { rule: 'private-key', text: `\n\n${pem(label('ENCRYPTED'), rng, 6)}`, line: 3, endLine: 10 },
    {
      rule: 'private-key',
      text: `{\n  "key": "${pem(label('RSA'), rng, 4, '\\n')}\\n"\n}\n`,
      path: 'config/keys.json',
      line: 2,
    },
    { rule: 'pgp-private-key-block', text: `${pem(`PGP ${PRIVATE_KEY} BLOCK`, rng, 6)}\n`, line: 1, endLine: 8 },
    { rule: 'putty-private-key', text: putty, path: 'keys/deploy.txt', line: 8, endLine: 9 },
    { rule: 'jwt', text: `const session = "${jwt(rng)}";\n`, path: 'src/session.ts', line: 1 },
    { rule: 'jwt', text: `Cookie: auth=${jwt(rng, { alg: 'RS256', kid: 'k1' })}; Path=/\n`, line: 1 },
    { rule: 'url-with-password', text: `remote: https://deploy:${password()}@git.internal.test/app.git\n`, line: 1 },
    { rule: 'url-with-password', text: `\nBROKER=nats://svc:${password()}@nats.internal:4222\n`, line: 2 },
    {
      rule: 'connection-string-password',
      text: `"Default": "Server=db01;Database=app;User Id=app;Password=${password()};"\n`,
      path: 'appsettings.json',
      line: 1,
    },
    { rule: 'connection-string-password', text: `jdbc:sqlserver://db01:1433;databaseName=app;user=app;password=${password()}\n`, line: 1 },
    { rule: 'jdbc-oracle-password', text: `url=jdbc:oracle:thin:scott/${password()}@db01:1521/ORCL\n`, line: 1 },
    { rule: 'authorization-bearer-token', text: `curl -H "Authorization: Bearer ${token()}" https://api.internal\n`, line: 1 },
    { rule: 'authorization-basic-credentials', text: `headers:\n  Authorization: Basic ${basic}\n`, line: 2 },
    { rule: 'generic-password-assignment', text: `DB_PASSWORD = "${password()}"\n`, path: 'settings.py', line: 1 },
    { rule: 'generic-password-assignment', text: `{\n  "password": "${password()}"\n}\n`, path: 'config.json', line: 2 },
    { rule: 'generic-password-assignment', text: `[database]\npassword = '${password()}'\n`, path: 'config.toml', line: 2 },
    { rule: 'generic-secret-assignment', text: `const API_KEY = '${token()}';\n`, path: 'src/client.ts', line: 1 },
    { rule: 'generic-secret-assignment', text: `oauth:\n  client_secret: "${token()}"\n`, path: 'app.yaml', line: 2 },
    { rule: 'generic-secret-assignment', text: `apiKey := "${token()}"\n`, path: 'main.go', line: 1 },
    { rule: 'generic-env-assignment', text: `export DB_PASSWORD=${password()}\n`, path: 'deploy.sh', line: 1 },
    { rule: 'generic-env-assignment', text: `NODE_ENV=production\nSESSION_SECRET=${token()}\n`, path: 'app/env.txt', line: 2 },
    { rule: 'generic-env-assignment', text: `spring.datasource.password=${password()}\n`, path: 'application.properties', line: 1 },
    { rule: 'generic-env-assignment', text: `db:\n  password: ${password()}  # rotated monthly\n`, path: 'values.yml', line: 2 },
    { rule: 'generic-env-assignment', text: `services:\n  app:\n    environment:\n      - API_TOKEN=${token()}\n`, line: 4 },
    { rule: 'generic-xml-secret', text: `<server>\n  <password>${password()}</password>\n</server>\n`, path: 'settings.xml', line: 2 },
    { rule: 'cli-user-password', text: `curl -s -u deploy:${password()} https://api.internal.test/v1\n`, path: 'ci/deploy.sh', line: 1 },
    { rule: 'cli-user-password', text: `curl -X POST \\\n  --user "ci:${password()}" \\\n  https://api.internal.test/v1\n`, path: 'ci/deploy.sh', line: 2 },
    { rule: 'dsl-password-call', text: `credentials {\n    username "deployer"\n    password "${password()}"\n}\n`, path: 'build.gradle', line: 3 },
  ];
  return cases.map((c, i) => [`${c.rule} #${i}`, c]);
}

describe('generic rules find realistic cases', () => {
  it.each(genericCases())('%s', (_name, c) => {
    const found: Finding[] = detector.scan(c.text, { kind: 'content', path: c.path ?? 'notes/settings.txt' });
    const finding = found.find((f) => f.ruleId === c.rule);
    expect(finding, found.map((f) => f.ruleId).join(', ')).toBeDefined();
    expect(finding!.line).toBe(c.line);
    expect(finding!.endLine).toBe(c.endLine);
    expect(found.filter((f) => f !== finding)).toEqual([]);
  });

  it('kubernetes-secret decodes data: values and reads stringData: as is', () => {
    const rng = new Prng(99);
    const password = rng.pick(BASE62, 20);
    const apiKey = rng.pick(BASE62, 32);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: app',
      'type: Opaque',
      'data:',
      `  username: ${Buffer.from('app').toString('base64')}`,
      `  password: ${Buffer.from(password).toString('base64')}`,
      'stringData:',
      `  api-key: "${apiKey}"`,
      '',
    ].join('\n');
    const found = detector.scan(manifest, { kind: 'content', path: 'k8s/secret.yaml' });
    expect(found.map((f) => [f.ruleId, f.line, f.fingerprint])).toEqual([
      ['kubernetes-secret', 8, fingerprint('kubernetes-secret', password)],
      ['kubernetes-secret', 10, fingerprint('kubernetes-secret', apiKey)],
    ]);
  });
});
