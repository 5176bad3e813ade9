/**
 * The engine's behaviour around rules: allowlists, ignores, the inline marker, which
 * lines are reported, multi-line matches, Kubernetes manifests, text encodings and
 * shapes, and how findings of several rules on one secret resolve.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDetector, DetectionError, fingerprint, LONG_LINE, type Detector } from '../../../src/core/detect/index.js';
import { MAX_HITS } from '../../../src/core/detect/prefilter.js';
import type { AllowlistSpec, DetectionConfig, Finding, RuleSpec } from '../../../src/core/detect/types.js';
import { compileAllowlist, compileRule } from '../../../src/policy/compile.js';
import { defaultDetection, defaultDetector } from './policy.js';
import { BASE62, breakChecksum, checksummedToken, githubPrefix, pem, Prng, PRIVATE_KEY } from './samples.js';

const rng = new Prng(4242);
const slackToken = () => [['xo', 'xb'].join(''), rng.pick('0123456789', 12), rng.pick('0123456789', 13), rng.pick(BASE62, 24)].join('-');
const demoToken = () => ['dm', 'o_', rng.pick('abcdefghijklmnopqrstuvwxyz0123456789', 24)].join('');

/** A one-rule config: `dmo_` + 24 lowercase alphanumerics. */
function demoConfig(options: { rule?: Partial<RuleSpec>; global?: AllowlistSpec; ignores?: DetectionConfig['ignores'] } = {}) {
  const rule: RuleSpec = {
    id: 'demo-token',
    description: 'demo token',
    regex: '\\b(dmo_[a-z0-9]{24})\\b',
    keywords: ['dmo_'],
    tags: ['provider', 'saas'],
    ...options.rule,
  };
  const config: DetectionConfig = {
    rules: [compileRule(rule)],
    allowlist: compileAllowlist(options.global ?? {}),
    ignores: options.ignores ?? [],
    inlineMarker: 'mirror:allow',
  };
  return createDetector(config);
}

const content = (path: string) => ({ kind: 'content' as const, path });
const ids = (found: Finding[]) => found.map((f) => f.ruleId);

let detector: Detector;
beforeAll(async () => {
  detector = await defaultDetector();
});

describe('allowlists', () => {
  it('global paths skip a file entirely (matched case-insensitively, after NFC normalisation)', () => {
    const text = `SLACK_TOKEN=${slackToken()}\n`;
    expect(ids(detector.scan(text, content('web/node_modules/lib/index.js')))).toEqual([]);
    expect(ids(detector.scan(text, content('dist/app.min.js')))).toEqual([]);
    expect(ids(detector.scan(text, content('web/lib/index.js')))).toEqual(['slack-bot-token']);
    const d = demoConfig({ global: { paths: ['fixtures/café/**'] } });
    const token = demoToken();
    expect(d.scan(token, content('Fixtures/cafe\u0301/a.txt'))).toEqual([]);
    expect(d.scan(token, content('fixtures/cafe/a.txt'))).toHaveLength(1);
  });

  it('global regexes and stopwords drop matching secrets for every rule', () => {
    const token = demoToken();
    expect(demoConfig().scan(token, content('a.txt'))).toHaveLength(1);
    expect(demoConfig({ global: { regexes: ['^dmo_'] } }).scan(token, content('a.txt'))).toEqual([]);
    expect(demoConfig({ global: { stopwords: [token.slice(6, 12).toUpperCase()] } }).scan(token, content('a.txt'))).toEqual([]);
  });

  it("a rule's own paths, regexes and stopwords apply to that rule only", () => {
    const token = demoToken();
    expect(demoConfig({ rule: { allowlist: { paths: ['test/**'] } } }).scan(token, content('test/a.txt'))).toEqual([]);
    expect(demoConfig({ rule: { allowlist: { paths: ['test/**'] } } }).scan(token, content('src/a.txt'))).toHaveLength(1);
    expect(demoConfig({ rule: { allowlist: { regexes: [`${token.slice(-4)}$`] } } }).scan(token, content('a.txt'))).toEqual([]);
    expect(demoConfig({ rule: { allowlist: { stopwords: [token.slice(8, 14)] } } }).scan(token, content('a.txt'))).toEqual([]);
  });

  it('the generic rules, not the provider rules, stop on digit and letter runs', () => {
    const id = ['dm', 'o_'].join('');
    const runs = `${id}9${'123456'}${rng.pick('abcdefghijklmnopqrstuvwxyz', 17)}`;
    expect(demoConfig().scan(runs, content('a.txt'))).toHaveLength(1);
    expect(detector.scan(`password = "Q${'123456'}zK${rng.pick(BASE62, 10)}"\n`, content('a.py'))).toEqual([]);
  });
});

describe('ignores and the inline marker suppress, and say why', () => {
  it('an ignore entry keyed on the fingerprint of (rule, secret), with its reason', () => {
    const token = demoToken();
    const fp = fingerprint('demo-token', token);
    expect(fp).toMatch(/^fp1:[0-9a-f]{16}$/);
    const d = demoConfig({ ignores: [{ fingerprint: fp, reason: 'revoked on 2024-05-01' }] });
    const other = demoToken();
    const found = d.scan(`a = ${token}\nb = ${other}\n`, content('a.txt'));
    expect(found.map((f) => [f.line, f.suppressed])).toEqual([
      [1, { by: 'ignore', reason: 'revoked on 2024-05-01' }],
      [2, undefined],
    ]);
  });

  it('the same secret under another rule is not ignored by that entry', () => {
    const token = demoToken();
    const d = demoConfig({ rule: { id: 'other-rule' }, ignores: [{ fingerprint: fingerprint('demo-token', token), reason: 'x' }] });
    expect(d.scan(token, content('a.txt'))[0]?.suppressed).toBeUndefined();
  });

  it('the inline marker on the line of the match', () => {
    const found = detector.scan(
      [`SLACK_TOKEN=${slackToken()}  # mirror:allow (test fixture)`, `SLACK_TOKEN=${slackToken()}`, '# mirror:allow'].join('\n'),
      content('env.txt'),
    );
    expect(found.map((f) => [f.line, f.suppressed])).toEqual([
      [1, { by: 'inline-marker' }],
      [2, undefined],
    ]);
  });

  it('the inline marker on any line of a multi-line match', () => {
    const key = pem(`RSA ${PRIVATE_KEY}`, rng, 4).replace(/-----$/, '----- mirror:allow');
    const found = detector.scan(`${key}\n`, content('keys/test.pem'));
    expect(found.map((f) => [f.ruleId, f.line, f.endLine, f.suppressed])).toEqual([['private-key', 1, 6, { by: 'inline-marker' }]]);
  });
});

describe('isReportedLine', () => {
  it('keeps only findings that touch a reported line', () => {
    const text = [`A=${demoToken()}`, `B=${demoToken()}`, `C=${demoToken()}`].join('\n');
    const found = demoConfig().scan(text, content('a.txt'), { isReportedLine: (line) => line === 2 });
    expect(found.map((f) => f.line)).toEqual([2]);
  });

  it('a multi-line match is reported when any of its lines is', () => {
    const text = `intro\n${pem(`EC ${PRIVATE_KEY}`, rng, 5)}\noutro\n`;
    const changed = (n: number) => detector.scan(text, content('k.txt'), { isReportedLine: (line) => line === n });
    expect(changed(4).map((f) => [f.ruleId, f.line, f.endLine])).toEqual([['private-key', 2, 8]]);
    expect(changed(8)).toHaveLength(1);
    expect(changed(1)).toEqual([]);
    expect(changed(9)).toEqual([]);
  });
});

describe('multi-line PEM blocks', () => {
  it('report the BEGIN line and the END line, and a stable fingerprint of the block', () => {
    const key = pem(`OPENSSH ${PRIVATE_KEY}`, rng, 6);
    const a = detector.scan(`# deploy key\n${key}\n`, content('a.txt'));
    const b = detector.scan(`\n\n\n${key}`, content('b.txt'));
    expect(a.map((f) => [f.ruleId, f.line, f.column, f.endLine])).toEqual([['private-key', 2, 1, 9]]);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
    expect(a[0]?.masked).toBe('-----'.slice(0, 4) + '*'.repeat(16));
  });

  it('two blocks in one file are two findings', () => {
    const text = [pem(`RSA ${PRIVATE_KEY}`, rng, 3), 'between', pem(`EC ${PRIVATE_KEY}`, rng, 3)].join('\n');
    expect(detector.scan(text, content('k.txt')).map((f) => [f.line, f.endLine])).toEqual([
      [1, 5],
      [7, 11],
    ]);
  });

  it('a block inside a YAML block scalar, indented', () => {
    const key = pem(`RSA ${PRIVATE_KEY}`, rng, 3).split('\n').map((l) => `    ${l}`).join('\n');
    const found = detector.scan(`tls:\n  key: |\n${key}\n`, content('values.yaml'));
    expect(found.map((f) => [f.ruleId, f.line, f.endLine])).toEqual([['private-key', 3, 7]]);
  });

  it('a public certificate is not a private key', () => {
    expect(detector.scan(pem('CERTIFICATE', rng, 5), content('ca.pem'))).toEqual([]);
  });
});

describe('Kubernetes Secret manifests', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('data: values are decoded; user names, hosts and public certificates are not secrets', () => {
    const password = rng.pick(BASE62, 24);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: db',
      'data:',
      `  username: ${b64('app')}`,
      `  host: ${b64('db.internal')}`,
      `  ca.crt: ${b64(pem('CERTIFICATE', rng, 2))}`,
      `  password: ${b64(password)}`,
    ].join('\n');
    const found = detector.scan(manifest, content('k8s/db.yaml'));
    expect(found.map((f) => [f.ruleId, f.line, f.fingerprint])).toEqual([
      ['kubernetes-secret', 9, fingerprint('kubernetes-secret', password)],
    ]);
    expect(found[0]!.masked.includes(password)).toBe(false);
  });

  it('stringData: block scalars, quoted keys and several documents in one file', () => {
    const token = rng.pick(BASE62, 30);
    const key = rng.pick(BASE62, 28);
    const tls = rng.pick(BASE62, 40);
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'data:',
      `  settings: ${b64(rng.pick(BASE62, 30))}`,
      '---',
      'kind: Secret',
      'apiVersion: v1',
      'stringData:',
      '  "token": |',
      `    ${token}`,
      `  'api.key': ${key}`,
      '---',
      'kind: "Secret"',
      'data:',
      `  tls.key: ${b64(tls)}`,
    ].join('\n');
    const found = detector.scan(text, content('k8s/all.yaml'));
    expect(found.map((f) => [f.line, f.fingerprint])).toEqual([
      [10, fingerprint('kubernetes-secret', token)],
      [11, fingerprint('kubernetes-secret', key)],
      [15, fingerprint('kubernetes-secret', tls)],
    ]);
  });

  it('templated and placeholder values are not reported', () => {
    const text = [
      'kind: Secret',
      'data:',
      '  password: {{ .Values.password | b64enc }}',
      `  token: ${b64('changeme')}`,
      `  enabled: ${b64('true')}`,
      'stringData:',
      '  api-key: ${API_KEY}',
      '  secret: <your-secret>',
    ].join('\n');
    expect(detector.scan(text, content('chart/templates/secret.yaml'))).toEqual([]);
  });

  it('CRLF manifests', () => {
    const password = rng.pick(BASE62, 20);
    const text = ['kind: Secret', 'data:', `  password: ${b64(password)}`, ''].join('\r\n');
    expect(detector.scan(text, content('s.yaml')).map((f) => [f.line, f.fingerprint])).toEqual([
      [3, fingerprint('kubernetes-secret', password)],
    ]);
  });
});

describe('text shapes', () => {
  it('non-ASCII text: columns count UTF-16 code units of the line', () => {
    const token = slackToken();
    const line = `/* 設定 🔑 */ const slack = "${token}";`;
    const found = detector.scan(`// ünïcödé\n${line}\n`, content('src/i18n.ts'));
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([['slack-bot-token', 2, line.indexOf(token) + 1]]);
  });

  it('CRLF line endings: lines, columns and secrets are those of LF text', () => {
    const password = rng.pick(BASE62, 18);
    const token = slackToken();
    const lf = ['[db]', `password=${password}`, `slack = "${token}"`, ''].join('\n');
    const crlf = lf.replace(/\n/g, '\r\n');
    const seen = (text: string) =>
      detector.scan(text, content('app.ini')).map((f) => [f.ruleId, f.line, f.column, f.fingerprint]);
    expect(seen(crlf)).toEqual(seen(lf));
    expect(seen(crlf).map((f) => f[0])).toEqual(['generic-env-assignment', 'slack-bot-token']);
    expect(detector.scan(crlf, content('app.ini'))[0]!.fingerprint).toBe(fingerprint('generic-env-assignment', password));
  });

  it('a very long minified line with a token in the middle, among many keywords', () => {
    const token = slackToken();
    const chunk = 'function t(e){return e.token||e.secret||fetch("https://api.example.org/v1?key="+e.apiKey)};';
    const half = chunk.repeat(Math.ceil((LONG_LINE * 20) / chunk.length));
    const line = `${half}var slack="${token}";${half}`;
    expect(line.length).toBeGreaterThan(LONG_LINE * 40);
    const found = detector.scan(`/*! bundle */\n${line}\n`, content('dist/bundle.js'));
    expect(found.map((f) => [f.ruleId, f.line, f.column])).toEqual([['slack-bot-token', 2, line.indexOf(token) + 1]]);
  });

  it('a text with more keyword occurrences than the prefilter records still has every rule run', () => {
    const github = checksummedToken(githubPrefix('p'), rng);
    const password = rng.pick(BASE62, 20);
    const noise = 'token secret '.repeat(MAX_HITS);
    const text = `${noise}\nGH=${github}\nkind: Secret\ndata:\n  password: ${Buffer.from(password).toString('base64')}\n`;
    const found = detector.scan(text, content('big.txt'));
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([
      ['github-pat', 2],
      ['kubernetes-secret', 5],
    ]);
  });

  it('commit messages are scanned too (no path)', () => {
    const found = detector.scan(`Fix deploy\n\nused token ${slackToken()} for the test\n`, { kind: 'message' });
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['slack-bot-token', 3]]);
  });
});

describe('one secret, one finding', () => {
  it('a generic rule yields to the provider rule that knows the format', () => {
    const github = checksummedToken(githubPrefix('p'), rng);
    for (const line of [`api_key = "${github}"`, `export GITHUB_TOKEN=${github}`, `<token>${github}</token>`]) {
      expect(ids(detector.scan(`${line}\n`, content('a.txt'))), line).toEqual(['github-pat']);
    }
  });

  it('two provider rules finding the same secret report it once, under the more specific rule', () => {
    const key = ['sk', '_live_', rng.pick(BASE62, 48)].join('');
    expect(ids(detector.scan(`CLERK_SECRET_KEY=${key}\n`, content('.env.local.txt')))).toEqual(['clerk-secret-key']);
    expect(ids(detector.scan(`PAYMENTS_KEY=${key}\n`, content('pay.txt')))).toEqual(['stripe-secret-key']);
  });

  it('a JWT assigned to a secret-named variable is a JWT', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: rng.pick(BASE62, 10), iat: 1700000000 })).toString('base64url');
    const token = [header, body, rng.pick(BASE62, 43)].join('.');
    expect(ids(detector.scan(`const authToken = "${token}";\n`, content('a.ts')))).toEqual(['jwt']);
    const notJwt = [Buffer.from('{"typ":"JWT"}').toString('base64url'), body, rng.pick(BASE62, 43)].join('.');
    expect(ids(detector.scan(`session: ${notJwt}\n`, content('a.yml')))).not.toContain('jwt');
  });

  it('findings come in text order', () => {
    const text = [`b = "${slackToken()}"`, pem(`RSA ${PRIVATE_KEY}`, rng, 2), `a = "${slackToken()}"`].join('\n');
    const found = detector.scan(text, content('x.txt'));
    expect(found.map((f) => f.line)).toEqual([1, 2, 6]);
  });
});

describe('configuration errors', () => {
  it('an invalid regex is a DetectionError naming the rule', () => {
    const rule = { ...compileRule({ id: 'broken', description: 'x', regex: 'x', keywords: ['x'] }), pattern: { source: '(unclosed', flags: '' } };
    const config: DetectionConfig = { rules: [rule], allowlist: compileAllowlist({}), ignores: [], inlineMarker: '' };
    expect(() => createDetector(config)).toThrow(DetectionError);
    expect(() => createDetector(config)).toThrow(/rule broken: invalid regex/);
  });

  it('the default policy compiles into a detector that knows every rule', async () => {
    const config = await defaultDetection();
    expect(createDetector(config).ruleIds).toEqual(config.rules.map((r) => r.id));
  });
});

describe('many candidates in one text', () => {
  it('still sees a real secret after thousands of placeholder matches of the same rule', () => {
    const placeholders = Array.from({ length: 5000 }, (_, i) => `token${i} = "dmo_xxxxxxxxxxxxxxxxxxxxxxxx"\n`).join('');
    const real = demoToken();
    const found = demoConfig({ rule: { allowlist: { regexes: ['^dmo_x+$'] } } }).scan(`${placeholders}last = "${real}"\n`, content('a.txt'));
    expect(found.map((f) => f.line)).toEqual([5001]);
  });

  it('pairs every candidate with the spans already vetoed or kept, wherever they sit', () => {
    // checksummed look-alikes with bad checksums veto later rules on the same text
    const fakes = Array.from({ length: 3000 }, () => breakChecksum(checksummedToken(githubPrefix('p'), rng)));
    const found = detector.scan(fakes.map((t) => `token = "${t}"\n`).join(''), content('a.txt'));
    expect(found.filter((f) => f.confidence !== 'low' || f.ruleId !== 'github-pat')).toEqual([]);
    expect(found).toHaveLength(3000);
  });
});
