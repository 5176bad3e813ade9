/**
 * What must not be reported: placeholders, documented example keys, references to where
 * a secret lives, hashes, identifiers, broken checksums and low-entropy values. Each case
 * sits in the context a rule would look at, so a rule that forgot the heuristic fails it.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwtValid } from '../../../src/core/detect/checksum.js';
import type { Detector } from '../../../src/core/detect/index.js';
import { defaultDetector } from './policy.js';
import { BASE62, breakChecksum, checksummedToken, githubPrefix, npmPrefix, Prng } from './samples.js';

let detector: Detector;
beforeAll(async () => {
  detector = await defaultDetector();
});

function reported(text: string, path = 'src/config.txt'): string[] {
  return detector
    .scan(text, { kind: 'content', path })
    .filter((f) => !f.suppressed)
    .map((f) => `${f.ruleId} ${f.masked}`);
}

const hex = (seed: string, bytes: number) => createHash('sha512').update(seed).digest('hex').slice(0, bytes * 2);
const rng = new Prng(31337);

// AWS's documented example credentials, assembled so this file does not contain them whole.
const AWS_EXAMPLE_KEY_ID = ['AK', 'IA', 'IOSFODNN7', 'EXAMPLE'].join('');
const AWS_EXAMPLE_SECRET = ['wJalrXUtnFEMI', '/K7MDENG/', 'bPxRfiCY', 'EXAMPLEKEY'].join('');

describe('placeholders are not secrets', () => {
  it.each([
    'api_key = "<your-token>"',
    'GITHUB_TOKEN=<token>',
    'token: xxxxxxxxxxxxxxxxxxxxxxxx',
    'password = "changeme"',
    'password: change-me-please',
    'secret: ${SECRET}',
    'DB_PASSWORD=${DB_PASSWORD}',
    'password: "{{ db_password }}"',
    'client_secret: "{{ .Values.oauth.clientSecret }}"',
    'api_key = "{% raw %}{{ api_key }}{% endraw %}"',
    '"password": "********"',
    'api_key: REDACTED',
    'AWS_SECRET_ACCESS_KEY=your-secret-access-key-here',
    'STRIPE_SECRET_KEY=sk_live_' + 'x'.repeat(24),
    'SLACK_TOKEN=' + ['xo', 'xb-'].join('') + 'your-bot-token-here',
    'auth_token = "insert-your-token-here"',
    'secret_key = "placeholder-secret-key-value"',
    'password = "dummy-password-for-tests"',
    'export API_TOKEN=$API_TOKEN',
    'token: "%API_TOKEN%"',
    'password=@DB_PASSWORD@',
    'postgres://postgres:postgres@localhost:5432/app',
    'mysql://root:password@127.0.0.1/app',
    'redis://:secret@localhost:6379',
    'amqp://guest:guest@rabbitmq:5672/',
    'https://user:pass@example.com/repo.git',
    'https://${USER}:${PASSWORD}@git.internal/app.git',
    'Server=db;Database=app;User Id=sa;Password=<password>;',
    'jdbc:mysql://db/app?user=app&password=${DB_PASSWORD}',
  ])('%s', (line) => {
    expect(reported(`${line}\n`)).toEqual([]);
  });
});

describe("documented example keys are not secrets", () => {
  it.each([
    [`aws_access_key_id = ${AWS_EXAMPLE_KEY_ID}`],
    [`aws_secret_access_key = ${AWS_EXAMPLE_SECRET}`],
    [`AWS_ACCESS_KEY_ID=${AWS_EXAMPLE_KEY_ID}\nAWS_SECRET_ACCESS_KEY=${AWS_EXAMPLE_SECRET}`],
    [`const credentials = { accessKeyId: "${AWS_EXAMPLE_KEY_ID}", secretAccessKey: "${AWS_EXAMPLE_SECRET}" };`],
  ])('%s', (text) => {
    expect(reported(`${text}\n`, 'docs/aws.md')).toEqual([]);
  });
});

describe('references to where a secret lives are not secrets', () => {
  it.each([
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
    'const token = process.env.GITHUB_TOKEN;',
    'const apiKey = process.env.OPENAI_API_KEY ?? "";',
    'api_key: process.env.STRIPE_SECRET_KEY',
    'token = process.env.NPM_TOKEN',
    'const secret = import.meta.env.VITE_SECRET;',
    'password = os.getenv("DB_PASSWORD")',
    'secret = os.environ["APP_SECRET"]',
    'secret = os.environ.get("APP_SECRET", "")',
    'api_key = ENV["API_KEY"]',
    'api_key = ENV.fetch("API_KEY")',
    'String password = System.getenv("DB_PASSWORD");',
    'var secret = Environment.GetEnvironmentVariable("APP_SECRET");',
    'password = var.db_password',
    'client_secret = data.vault_generic_secret.oauth.data["client_secret"]',
    'spring.datasource.password=${DB_PASSWORD}',
    '  password: !Ref DatabasePassword',
    'token = config.github.token',
    'password_file: /run/secrets/db_password',
    'secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"',
    'TOKEN_URL=https://auth.internal/oauth/token',
    'password: ENC[AES256_GCM,data:Tr7o1bQ=,iv:1Bq0K2Y0ZCdjQ=,tag:abc=,type:str]',
  ])('%s', (line) => {
    expect(reported(`${line}\n`)).toEqual([]);
  });
});

describe('hashes, identifiers and other non-secrets in secret-shaped places', () => {
  const uuid = [hex('u', 4), hex('v', 2), '4' + hex('w', 2).slice(1), 'a' + hex('x', 2).slice(1), hex('y', 6)].join('-');
  it.each([
    `password_hash = "${hex('a', 32)}"`,
    `secret: ${hex('b', 16)}`,
    `token = "${hex('c', 20)}"`,
    `api_key_sha256: ${hex('d', 32)}`,
    `"integrity": "sha512-${createHash('sha512').update('pkg').digest('base64')}"`,
    `access_token_digest = "sha256:${hex('e', 32)}"`,
    `request_token = "${uuid}"`,
    `secret_id: ${uuid}`,
    `password = "$2b$12$${rng.pick(BASE62, 53)}"`,
    'tokenType = "BearerAuthentication"',
    'const TOKEN_HEADER = "X-Amz-Security-Token";',
    'nextPageToken = "CAEQARoLCgkIARIFCgMxMjM"',
    'secretName: my-application-database-secret',
    'password_min_length = 16',
    'token_endpoint: https://login.example.org/oauth2/v2.0/token',
    'private_key_path = "/etc/ssl/private/server.key"',
    'api_key_header = "X-API-Key"',
    'password: true',
  ])('%s', (line) => {
    expect(reported(`${line}\n`)).toEqual([]);
  });
});

describe('tokens whose checksum fails are reported by their own rule only, at low confidence', () => {
  const valid = {
    github: checksummedToken(githubPrefix('p'), new Prng(1)),
    npm: checksummedToken(npmPrefix(), new Prng(2)),
  };

  it('the valid ones are found at high confidence (so the cases below mean something)', () => {
    expect(detector.scan(`GITHUB_TOKEN=${valid.github}\n`, { kind: 'content' }).map((f) => f.confidence)).toEqual(['high']);
    expect(reported(`GITHUB_TOKEN=${valid.github}\n`).map((r) => r.split(' ')[0])).toEqual(['github-pat']);
    expect(reported(`NPM_TOKEN=${valid.npm}\n`).map((r) => r.split(' ')[0])).toEqual(['npm-access-token']);
  });

  it.each([
    ['GITHUB_TOKEN=', 'github'],
    ['token: "', 'github'],
    ['export NPM_TOKEN=', 'npm'],
    ['//registry.npmjs.org/:_authToken=', 'npm'],
  ] as const)('%s<broken %s token>', (prefix, kind) => {
    const broken = breakChecksum(valid[kind]);
    expect(broken).not.toBe(valid[kind]);
    const found = detector.scan(`${prefix}${broken}${prefix.endsWith('"') ? '"' : ''}\n`, { kind: 'content', path: 'src/config.txt' });
    expect(found.map((f) => [f.ruleId, f.confidence])).toEqual([[kind === 'github' ? 'github-pat' : 'npm-access-token', 'low']]);
  });
});

describe('a JWT whose header is damaged', () => {
  const body = Buffer.from(JSON.stringify({ sub: rng.pick(BASE62, 10), iat: 1_700_000_000 })).toString('base64url');
  const signature = rng.pick(BASE62, 43);
  const header = (json: string) => Buffer.from(json).toString('base64url');

  it('is reported at low confidence when the header still names an algorithm', () => {
    // one flipped character of the header: `"typ"` lost its opening quote
    const damaged = [header('{"alg":"HS256",\x12typ":"JWT"}'), body, signature].join('.');
    expect(jwtValid(damaged)).toBe(false);
    const found = detector.scan(`SESSION=${damaged}\n`, { kind: 'content', path: 'src/config.txt' });
    expect(found.map((f) => [f.ruleId, f.confidence])).toEqual([['jwt', 'low']]);
  });

  it('is not reported when the header names no algorithm', () => {
    const token = [header('{"typ":"JWT","kid":"k1"}'), body, signature].join('.');
    expect(reported(`SESSION=${token}\n`).filter((r) => r.startsWith('jwt'))).toEqual([]);
  });
});

describe('low-entropy values are not secrets', () => {
  it.each([
    'api_key = "aaaaaaaaaaaaaaaaaaaaaaaa"',
    'password = "abcabcabcabc"',
    'token: 1111111111111111111111',
    'secret_key = "ababababababababababab"',
    'API_TOKEN=0000000000000000000000000000000000000000',
    'password: hunter2hunter2',
    'client_secret = "1234567890abcdef1234"',
    'STRIPE_KEY=sk_live_' + '0'.repeat(24),
    'DATADOG_API_KEY=' + 'ab'.repeat(16),
    'heroku_api_key: 00000000-0000-0000-0000-000000000000',
    'mongodb+srv://admin:aaaa@cluster0.mongodb.net/app',
  ])('%s', (line) => {
    expect(reported(`${line}\n`)).toEqual([]);
  });
});

describe('ordinary code that mentions secrets', () => {
  it.each([
    ['src/auth.ts', 'const token = await getToken(request);\nif (!token) throw new Error("missing token");'],
    ['src/lexer.js', 'lastSignificantToken = "?InterpolationInJSX";\nnextToken = "EndOfFileToken";'],
    ['src/types.d.ts', 'tokenOutput: CreateOAuth2TokenResponseBody | undefined;'],
    ['app/forms.py', 'password = forms.CharField(widget=forms.PasswordInput)\nsecret = secrets.token_hex(32)'],
    ['i18n/zh.json', '"invalid_token_message": "令牌无效，请重新登录后再试一次谢谢"'],
    ['README.md', 'Set `API_KEY` to your key, e.g. `export API_KEY=<your key>`.'],
    ['src/crypto.go', 'key := make([]byte, 32)\nsecret := hex.EncodeToString(key)'],
    ['src/pem.ts', 'const header = "-----BEGIN RSA " + "PRIVATE KEY-----";\nconst footer = "-----END RSA " + "PRIVATE KEY-----";'],
  ])('%s', (path, text) => {
    expect(reported(`${text}\n`, path)).toEqual([]);
  });
});
