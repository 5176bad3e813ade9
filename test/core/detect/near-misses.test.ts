/**
 * One near miss per provider rule added for issue #9's breadth: text one step away from the
 * rule's format (a character short, the wrong prefix, the public half, a variable instead of
 * a value, the same shape in ordinary code). The rule must stay silent on it, so a rule that
 * grows too loose fails here while its regex-generated positive (positives.test.ts) still
 * passes. Token-shaped parts are generated at run time from a seeded PRNG.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DetectionConfig } from '../../../src/core/detect/types.js';
import { createDetector, type Detector } from '../../../src/core/detect/index.js';
import { isKnownPublicValue } from '../../../src/core/detect/known-public.js';
import { defaultDetection } from './policy.js';
import { BASE62, BASE64, BASE64URL, HEX, Prng } from './samples.js';

let config: DetectionConfig;
let detector: Detector;
beforeAll(async () => {
  config = await defaultDetection();
  detector = createDetector(config);
});

const rng = new Prng(4242);
const hex = (n: number) => rng.pick(HEX, n);
const b62 = (n: number) => rng.pick(BASE62, n);
const lower = (n: number) => rng.pick('abcdefghijklmnopqrstuvwxyz0123456789', n);
const digits = (n: number) => rng.pick('0123456789', n);
const uuid = () => [hex(8), hex(4), '4' + hex(3), 'a' + hex(3), hex(12)].join('-');
const join = (...parts: string[]) => parts.join('');

/** [rule, near miss, path]: the rule reports nothing on the text. */
const NEAR_MISSES: [string, string, string?][] = [
  // second round (this table's rules first)
  ['snyk-cli-auth', `snyk auth ${uuid().slice(0, -1)}`],
  ['discord-bot-token-header', `Authorization: Bot A${b62(25)}.${b62(6)}.${b62(30)}`],
  ['algolia-client-key', 'const client = algoliasearch(process.env.ALGOLIA_APP_ID, searchKey);', 'src/search.ts'],
  ['mailgun-private-key-legacy', `const cacheName = "cache-${join('ke', 'y-')}${hex(32)}";`, 'src/cache.ts'],
  ['twitch-irc-oauth-token', `PASS ${join('oau', 'th:')}${lower(31)}`],
  ['figma-token-legacy', `FIGMA_NODE_ID=${uuid()}`],
  ['adobe-client-secret', `ADOBE_CLIENT_SECRET=${join('p8', 'e-')}${rng.pick(BASE64URL, 31)}`],
  ['adobe-client-id', `ADOBE_ORG_ID=${hex(32)}`],
  ['nuget-config-cleartext-password', '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />', 'NuGet.config'],
  ['sourcegraph-access-token-legacy', `sourcegraph_commit: ${hex(40)}`],
  ['squarespace-api-key', `SQUARESPACE_SITE_ID=${uuid()}`],
  ['particle-access-token-assignment', `PARTICLE_DEVICE_ID=${hex(24)}`],
  ['particle-access-token-request', `curl https://api.particle.io/v1/devices -d access_token=${hex(39)}`],
  ['adafruit-io-key-legacy', `adafruit_revision = "${hex(40)}"`],
  ['finicity-api-key', `FINICITY_CUSTOMER_ID=${digits(10)}`],
  ['finicity-client-secret', `FINICITY_SECRET=${b62(19)}`],
  ['cisco-meraki-api-key', `meraki-api-key: ${hex(20)}F${hex(19)}`],
  ['pkcs12-base64', `CERT_B64=${join('MII', 'DdzCCAl', '+gAwIBAgI')}${rng.pick(BASE64, 80)}`],
  ['htpasswd-sha-entry', `digest: {SHA}${rng.pick(BASE64, 27)}=`],
  ['kerberos-tgs-hash-aes', `${join('$krb5', 'tgs$18$')}svc$CORP.LOCAL$${hex(23)}$${hex(96)}`],
  ['kerberos-preauth-hash', `${join('$krb5', 'pa$19$')}user$CORP.LOCAL$${hex(104)}`],
  ['teams-workflow-webhook', `https://prod-1.westeurope.logic.azure.com:443/workflows/${hex(32)}/triggers/manual/paths/invoke?api-version=2016-06-01`],
  ['aws-appsync-api-key', `aws_appsync_apiKey: '${join('da', '2-')}${lower(25)}'`],
  ['azure-devops-pat-v2', `AZURE_DEVOPS_EXT_PAT=${b62(76)}AZDO${b62(4)}`],
  ['codeclimate-reporter-id', `CC_TEST_REPORTER_ID: ${hex(63)}`],
  ['jina-api-key', `JINA_KEY=${join('ji', 'na_')}${hex(31)}${b62(28)}`],
  ['kagi-session-token', 'https://kagi.com/search?q=token+format'],
  ['kubernetes-bootstrap-token', `kubeadm join 10.0.0.1:6443 --token ${lower(6)}.${lower(15)}`],
  ['nasa-api-key', 'https://api.nasa.gov/planetary/apod?api_key=DEMO_KEY'],
  ['stackhawk-api-key', `HAWK_API_KEY=${join('haw', 'k.')}${b62(19)}.${b62(20)}`],
  ['teamcity-access-token', `token=${join('eyJ0eXAiOiAi', 'VENWMiJ9.')}${rng.pick(BASE64URL, 35)}.${rng.pick(BASE64URL, 48)}`],
  ['wireguard-key', `[Peer]\nPublicKey = ${rng.pick(BASE64, 43)}=\nAllowedIPs = 10.0.0.2/32`, 'wg0.conf'],
  ['psexec-password', 'psexec \\\\build01 -u CORP\\deploy -p %DEPLOY_PASSWORD% cmd /c deploy.bat', 'deploy.bat'],
  ['vmware-connect-viserver-password', 'Connect-VIServer -Server vc01.corp.internal -Credential $cred', 'connect.ps1'],
  ['dotnet-network-credential', 'var credential = new NetworkCredential(userName, password);', 'src/Client.cs'],
  ['octopus-deploy-api-key', `https://team.notion.site/${join('AP', 'I-')}${hex(32).toUpperCase()}`],
  ['keyword-dsn-password', 'dsn = "host=db01 user=app password=$PGPASSWORD dbname=app"', 'app/db.py'],
  ['frontend-env-key', 'REACT_APP_KEYCLOAK_REALM=production-realm', 'app/env.txt'],
  ['frontend-env-key', `VITE_STRIPE_PUBLISHABLE_KEY=${join('pk', '_live_')}${b62(24)}`, 'app/env.txt'],
  ['cli-user-password', 'docker run --rm -u 1000:1000 -v "$PWD":/src node:20 npm test', 'ci/test.sh'],
  ['cli-user-password', 'curl -u "$API_USER:$API_PASSWORD" https://api.internal/v1/status', 'ci/status.sh'],
  ['cli-user-password', 'rsync -u backup.internal.example:/var/www/html/ ./mirror/', 'ci/sync.sh'],
  ['http-header-credential', 'curl -H "Authorization: Bearer $TOKEN" -H "Accept: application/json" https://api.internal/v1', 'ci/call.sh'],
  ['dsl-password-call', 'password project.findProperty("repoPassword")', 'build.gradle'],
  ['dsl-password-call', "        password 'changeit'", 'build.gradle'],
  // third round
  ['bittrex-api-key', `BITTREX_API_SECRET=${b62(31)}`],
  ['kucoin-api-key', `KUCOIN_API_KEY=${hex(23)}`],
  ['kucoin-api-secret', `KUCOIN_API_SECRET=${uuid().slice(0, -1)}`],
  ['freemius-secret-key', `'secret_key' => '${join('s', 'k_')}${b62(28)}',`, 'freemius.php'],
  ['freshbooks-token', `FRESHBOOKS_TOKEN=${b62(63)}`],
  ['lob-api-key', `fixture = "${join('tes', 't_')}${hex(32)}"`, 'test/fixtures.py'],
  ['etsy-api-key', `betsy_api_key = "${lower(24)}"`],
  ['finnhub-api-key', `FINNHUB_API_KEY=${b62(19)}`],
  ['flickr-api-key', `FLICKR_USER_ID=${hex(32)}`],
  ['looker-client-secret', `LOOKERSDK_CLIENT_ID=${b62(24)}`],
  ['nytimes-api-key', `NYT_API_KEY=${b62(31)}`],
  ['privateai-api-key', `private_airline_code = "${lower(32)}"`],
  ['firecrawl-api-key', `FIRECRAWL_API_KEY=${join('f', 'c-')}${hex(31)}`],
  ['settlemint-token', `${join('sm_', 'pat_')}${b62(15)}`],
  ['segment-public-api-token', `"token": "${join('sg', 'p_')}${b62(63)}"`],
  ['new-relic-pixie-key', `--set newrelic-pixie.apiKey=${join('px-', 'api-')}a1b2c3d4-e5f6-g7h8-i8j0-k0l3m3n4o0p5`],
  ['sauce-labs-access-key', `SAUCE_USERNAME=${uuid()}`],
  ['truenas-api-key-rest', `-H "Authorization: Bearer 8-${b62(63)}"`],
  ['thingsboard-provision-secret', '{"provisionDeviceKey": "YOUR_PROVISION_KEY", "provisionDeviceSecret": "YOUR_PROVISION_SECRET"}', 'provision.json'],
  ['cisco-ios-secret-hash', `enable secret 8 ${join('$', '8$')}${b62(7)}$${b62(43)}`, 'router.cfg'],
  ['cisco-ios-type7-password', '! password 7 characters minimum, see the security policy', 'router.cfg'],
  ['launchdarkly-key', `my-${join('ap', 'i-')}${uuid()}`],
  ['aws-bedrock-api-key', `${join('bedrock', '-api-key-')}${rng.pick(BASE64, 60)}`],
  ['linear-client-secret', `LINEAR_CLIENT_ID=${hex(32)}`],
  ['particle-access-token-request-before-url', `curl -d access_token=${hex(40)} https://api.example.org/v1/devices`],
  ['gradle-github-packages-key', 'gpr.key=System.getenv("GITHUB_TOKEN")', 'gradle.properties'],
  // rules whose context was widened or tightened this round
  ['okta-api-token', `rookTable = 00${b62(40)}`],
  ['github-oauth-client-secret', 'GITHUB_SECRET_NAME=deploy-key-for-the-docs-site'],
  ['atlassian-api-token-legacy', 'getPagesInConfluenceSpace,searchConfluenceUsingCql', 'src/tools.ts'],
  ['infracost-token', `http://assets.example.org/media/video_box.${join('ic', 'o-')}${hex(32)}.png`],
  ['private-key', `-----BEGIN ${['PRIVATE', 'KEY'].join(' ')}-----\nanything\n-----END ${['PRIVATE', 'KEY'].join(' ')}-----`],
  ['generic-secret-assignment', `publicToken = "${b62(43)}"`, 'src/config.ts'],
  // first round (23 families added before this table existed)
  ['microsoft-teams-webhook-legacy', `https://outlook.office.com/webhook/${uuid()}@${uuid()}/`],
  ['twitch-stream-key', `${join('liv', 'e_')}${digits(5)}_${b62(30)}`],
  ['adafruit-io-key', `${join('ai', 'o_')}${b62(27)}`],
  ['okta-ssws-token', 'Authorization: SSWS ${OKTA_API_TOKEN}'],
  ['mapbox-temporary-token', `${join('tk', '.eyJ')}${b62(10)}.${b62(25)}`],
  ['particle-access-token', `https://api.particle.io/v1/devices?access_token=${hex(39)}`],
  ['blynk-device-token', `https://blynk.cloud/external/api/get?token=${b62(31)}&v1`],
  ['blynk-oauth-client-secret', `${join('oa2-client', '-id_')}${b62(32)}:${b62(39)}`],
  ['dependency-track-api-key', `${join('od', 't_')}${b62(31)}`],
  ['thingsboard-access-token', `https://thingsboard.cloud/api/v1/${b62(19)}/telemetry`],
  ['truenas-api-key', `{"msg": "method", "method": "auth.login_with_api_key", "params": ["${digits(2)}-${b62(63)}"]}`],
  ['sidekiq-enterprise-credentials', `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${hex(7)}:${hex(8)}`],
  ['sidekiq-enterprise-url', `source "https://${hex(8)}@gems.contribsys.com/"`],
  ['intra42-client-secret', `${join('s-s4t', '2ud-')}${hex(63)}`],
  ['facebook-app-access-token', `facebook_app_id = ${digits(15)}`],
  ['unix-crypt-shadow-entry', 'root:*:19000:0:99999:7:::\ndaemon:!:19000:0:99999:7:::', 'etc/shadow'],
  ['kerberos-asrep-hash', `${join('$krb5', 'asrep$23$')}user@CORP.LOCAL:${hex(31)}$${hex(80)}`],
  ['kerberos-tgs-hash', `${join('$krb5', 'tgs$23$')}*svc$CORP.LOCAL$http/web*$${hex(31)}$${hex(80)}`],
  ['new-relic-admin-or-query-key', `${join('NRA', 'A-')}${hex(26)}`],
  ['vault-legacy-token', `VAULT_ADDR=https://vault.internal:8200`],
  ['vault-batch-or-recovery-token', `${join('hv', 'b.')}${b62(23)}`],
  ['vault-unseal-key', 'vault operator unseal $UNSEAL_KEY'],
  ['azure-app-configuration-connection-string', `Endpoint=https://app.azconfig.io;Id=${b62(8)};Secret=${'$'}{APPCONFIG_SECRET}`],
];

describe('near misses of provider rules report nothing', () => {
  it.each(NEAR_MISSES.map(([rule, text, path], i) => [`${rule} #${i}`, rule, text, path ?? 'src/settings.txt'] as const))(
    '%s',
    (_name, rule, text, path) => {
      expect(config.rules.some((r) => r.id === rule), `no rule ${rule}`).toBe(true);
      const found = detector.scan(`${text}\n`, { kind: 'content', path }).filter((f) => !f.suppressed);
      expect(found.filter((f) => f.ruleId === rule).map((f) => f.masked)).toEqual([]);
    },
  );

  it('has a row for every rule added by the two breadth rounds', () => {
    const first = config.rules.findIndex((r) => r.id === 'microsoft-teams-webhook-legacy');
    const last = config.rules.findIndex((r) => r.id === 'private-key');
    const added = config.rules.slice(first, last).map((r) => r.id);
    const second = config.rules.filter((r) => ['cli-user-password', 'dsl-password-call', 'teams-workflow-webhook'].includes(r.id)).map((r) => r.id);
    const covered = new Set(NEAR_MISSES.map(([rule]) => rule));
    expect([...added, ...second].filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('known public values', () => {
  // a Google API key the Firebase SDKs publish in their tests, assembled so this file does not hold it whole
  const firebaseTestKey = ['AIza', 'SyAnLA7Nfe', 'LquW1tJFpx', '_eQCxoX-oo6YyIs'].join('');

  it('are recognised by value, and nothing else is', () => {
    expect(isKnownPublicValue(firebaseTestKey)).toBe(true);
    expect(isKnownPublicValue(firebaseTestKey.slice(0, -1) + 'x')).toBe(false);
    expect(isKnownPublicValue(['AIza', 'Sy'].join('') + rng.pick(BASE64URL, 33))).toBe(false);
  });

  it('are not reported, while a key of the same shape is', () => {
    const other = ['AIza', 'Sy'].join('') + rng.pick(BASE62, 33);
    expect(detector.scan(`apiKey: "${firebaseTestKey}"\n`, { kind: 'content', path: 'app/google-services.json' })).toEqual([]);
    expect(detector.scan(`apiKey: "${other}"\n`, { kind: 'content', path: 'app/google-services.json' }).map((f) => f.ruleId)).toEqual(['gcp-api-key']);
  });
});
