import { describe, expect, it } from 'vitest';
import { describeSecretRef, literalsIn, secretsInValue } from '../../../src/core/audit/expressions.js';
import { classifyRunsOn, ruleForLabel } from '../../../src/core/audit/runners.js';
import { actionName, isSetupAction, scanAction, scanScript } from '../../../src/core/audit/signals.js';
import { parseYamlTree, type YNode } from '../../../src/core/audit/yaml-tree.js';

const names = (value: string, condition = false) => secretsInValue(value, condition).map(describeSecretRef);

describe('secret references', () => {
  it.each([
    ['${{ secrets.NPM_TOKEN }}', ['secrets.NPM_TOKEN']],
    ['Bearer ${{ secrets.API_KEY }} and ${{ secrets.OTHER }}', ['secrets.API_KEY', 'secrets.OTHER']],
    ["${{ secrets['NPM_TOKEN'] }}", ['secrets.NPM_TOKEN']],
    ['${{ SECRETS.deploy_key }}', ['secrets.deploy_key']],
    ['${{ toJSON(secrets) }}', ['all secrets (toJSON(secrets))']],
    ["${{ secrets[format('{0}_TOKEN', matrix.env)] }}", ["secrets[format('{0}_TOKEN', matrix.env)]"]],
    ['${{ secrets.NPM_TOKEN != \'\' && \'yes\' || \'no\' }}', ['secrets.NPM_TOKEN']],
  ])('%s reads %j', (value, expected) => {
    expect(names(value)).toEqual(expected);
  });

  it.each([
    '${{ secrets.GITHUB_TOKEN }}',
    '${{ secrets.github_token }}',
    '${{ github.token }}',
    '${{ secrets.GITEA_TOKEN }}',
    '${{ secrets.FORGEJO_TOKEN }}',
    '${{ forgejo.token }}',
    '${{ vars.REGISTRY_USER }}',
    "${{ format('secrets.{0}', 'X') }}",
    'cat secrets.txt && echo secrets.NPM_TOKEN',
    '${{ needs.secrets.outputs.value }}',
    '${{ inputs.secrets }}',
  ])('%s reads no secret', (value) => {
    expect(names(value)).toEqual([]);
  });

  it('reads conditions without braces', () => {
    expect(names("secrets.NPM_TOKEN != ''", true)).toEqual(['secrets.NPM_TOKEN']);
    expect(names("secrets.NPM_TOKEN != ''", false)).toEqual([]);
  });

  it('finds the literals an expression may evaluate to', () => {
    expect(literalsIn("github.repository == 'acme/app' && 'self-hosted' || 'ubuntu-latest'")).toEqual(['acme/app', 'self-hosted', 'ubuntu-latest']);
  });
});

describe('runner labels', () => {
  it.each([
    ['ubuntu-latest', 'hosted'],
    ['ubuntu-24.04', 'hosted'],
    ['ubuntu-24.04-arm', 'hosted'],
    ['windows-2022', 'hosted'],
    ['windows-latest', 'hosted'],
    ['macos-14', 'hosted'],
    ['macos-15-xlarge', 'hosted'],
    ['docker', 'hosted'],
    ['node-20', 'hosted'],
    ['codeberg-small', 'hosted'],
    ['self-hosted', 'placement'],
    ['Self-Hosted', 'placement'],
    ['lab', 'placement'],
    ['build-box-7', 'placement'],
    ['ubuntu-latest-16-cores', 'placement'],
    ['linux', 'placement'],
    ['x64', 'placement'],
    ['gpu', 'capability'],
    ['linux-4gpu', 'capability'],
    ['cuda12', 'capability'],
    ['a100', 'capability'],
    ['h100-80gb', 'capability'],
    ['arm64-lab-3', 'capability'],
    ['arm64', 'capability'],
    ['macos', 'capability'],
    ['matlab', 'capability'],
  ])('%s is %s', (label, role) => {
    expect(ruleForLabel(label).role).toBe(role);
  });

  it('says which rule it applied, and the policy wins over the built-in words', () => {
    expect(ruleForLabel('lab')).toEqual({ label: 'lab', role: 'placement', rule: 'built-in: names a host or pool (no capability word)' });
    expect(ruleForLabel('gpu')).toEqual({ label: 'gpu', role: 'capability', rule: 'built-in: names an accelerator' });
    expect(ruleForLabel('Lab', { hardwareLabels: ['lab'] })).toEqual({ label: 'Lab', role: 'capability', rule: 'policy lanes.hardwareLabels' });
    expect(ruleForLabel('gpu-pool', { placementLabels: ['GPU-pool'] })).toEqual({ label: 'gpu-pool', role: 'placement', rule: 'policy lanes.placementLabels' });
  });

  const runsOn = (yaml: string): ReturnType<typeof classifyRunsOn> => {
    const tree = parseYamlTree(yaml);
    if (!tree.ok) throw new Error('bad yaml');
    const get = (key: string): YNode | undefined => (tree.root.kind === 'map' ? tree.root.entries.find((e) => e.key === key)?.value : undefined);
    return classifyRunsOn(get('runs-on'), get('strategy'));
  };

  it.each([
    ['runs-on: ubuntu-latest', 'hosted'],
    ['runs-on: [self-hosted, linux, x64]', 'placed'],
    ['runs-on: { group: release-runners }', 'placed'],
    ['runs-on: { group: big, labels: [ubuntu-latest] }', 'placed'],
    ['runs-on: ${{ matrix.os }}\nstrategy: { matrix: { os: [ubuntu-latest, windows-latest] } }', 'hosted'],
    ['runs-on: ${{ matrix.os }}\nstrategy: { matrix: { os: [ubuntu-latest], include: [{ os: [self-hosted, gpu] }] } }', 'capability'],
    ['runs-on: ${{ matrix.os }}\nstrategy:\n  matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}', 'unknown'],
    ["runs-on: ${{ github.repository == 'acme/app' && 'self-hosted' || 'ubuntu-latest' }}", 'placed'],
    ['runs-on: ${{ inputs.runner }}', 'unknown'],
    ['runs-on: runner-${{ inputs.size }}', 'unknown'],
    ['name: no runner', 'missing'],
  ])('%s → %s', (yaml, type) => {
    expect(runsOn(yaml).type).toBe(type);
  });

  it('names the alternative that needs particular runners', () => {
    const verdict = runsOn('runs-on: ${{ matrix.os }}\nstrategy:\n  matrix:\n    os: [ubuntu-latest, windows-latest]\n    include:\n      - os: [self-hosted, gpu]\n');
    expect(verdict.type === 'capability' && verdict.message).toBe('runs on [self-hosted, gpu], needing what only particular runners have: "gpu" (names an accelerator) (1 of its 3 alternatives)');
  });

  it('names the hardware', () => {
    const verdict = runsOn('runs-on: [self-hosted, gpu, a100]');
    expect(verdict).toMatchObject({ type: 'capability' });
    expect(verdict.type === 'capability' && verdict.message).toBe('runs on [self-hosted, gpu, a100], needing what only particular runners have: "gpu", "a100" (names an accelerator)');
  });
});

describe('commands that change something outside the repository', () => {
  const whats = (script: string) => scanScript(script).map((finding) => finding.what);

  it.each([
    ['npm publish --access public', 'publishes a package'],
    ['pnpm -r publish --no-git-checks', 'publishes a package'],
    ['yarn npm publish', 'publishes a package'],
    ['npx changeset publish', 'publishes a package'],
    ['npx semantic-release', 'publishes a release'],
    ['python -m twine upload dist/*', 'publishes a package'],
    ['uv publish', 'publishes a package'],
    ['cargo publish --token "$CARGO_TOKEN"', 'publishes a crate'],
    ['gem push pkg/*.gem', 'publishes a gem'],
    ['./gradlew publish', 'publishes artifacts'],
    ['mvn -B deploy', 'deploys artifacts'],
    ['dotnet nuget push out/*.nupkg', 'publishes a package'],
    ['docker push ghcr.io/acme/app:latest', 'pushes an image'],
    ['docker buildx build --platform linux/amd64 --push -t x .', 'pushes an image'],
    ['echo "$PASS" | docker login -u me --password-stdin registry.example.com', 'logs in to a registry'],
    ['gh release create "$TAG" dist/*', 'creates or changes a release'],
    ['gh pr comment 12 --body done', 'changes pull requests or issues'],
    ['gh api -X POST repos/acme/app/dispatches', 'calls the API to change something'],
    ['git push origin HEAD:main', 'pushes commits'],
    ['git -C site push --force', 'pushes commits'],
    ['kubectl apply -f k8s/', 'deploys to Kubernetes'],
    ['kubectl -n prod rollout restart deploy/app', 'deploys to Kubernetes'],
    ['helm upgrade --install app ./chart -n prod', 'deploys to Kubernetes'],
    ['terraform apply -auto-approve', 'changes infrastructure'],
    ['terraform -chdir=infra apply plan.out', 'changes infrastructure'],
    ['aws s3 sync ./site s3://bucket --delete', 'changes cloud storage'],
    ['aws s3 rm s3://bucket/old --recursive', 'changes cloud storage'],
    ['aws cloudformation deploy --template-file t.yml', 'changes cloud resources'],
    ['aws --region eu-west-1 lambda update-function-code --function-name f', 'changes cloud resources'],
    ['gcloud run deploy app --image x', 'changes cloud resources'],
    ['gsutil -m rsync -r public gs://bucket', 'changes cloud storage'],
    ['az webapp deploy --name app --src-path app.zip', 'changes cloud resources'],
    ['firebase deploy --only hosting', 'deploys a site or app'],
    ['npx wrangler deploy', 'deploys a site or app'],
    ['rsync -az site/ deploy@web1.example.com:/srv/site/', 'copies files to a remote host'],
    ['scp app.tar.gz deploy@web1:/tmp/', 'copies files to a remote host'],
    ['ssh -o StrictHostKeyChecking=no deploy@web1 ./restart.sh', 'runs commands on a remote host'],
    ['curl -T build.zip https://uploads.example.com/', 'uploads a file'],
    ['sudo tailscale up --authkey "$TS_KEY"', 'joins a private network'],
  ])('%s: %s', (script, what) => {
    expect(whats(script)).toContain(what);
  });

  it.each([
    'npm ci && npm test && npm run build',
    'npm publish --dry-run',
    'npm pack && npm install ./pkg.tgz',
    'npm install --save-dev publish-please',
    'cargo publish --dry-run',
    'docker build -t app .',
    'kubectl apply --dry-run=client -f k8s/',
    'helm template ./chart',
    'terraform plan',
    'aws s3 cp s3://bucket/data.json ./data.json',
    'aws sts get-caller-identity',
    'az account set --subscription "$SUB"',
    'git push --dry-run',
    'git commit -m "publish"',
    'echo "remember to run npm publish"',
    'npm test # then npm publish',
    './gradlew publishToMavenLocal',
    'goreleaser release --snapshot --clean',
    'ssh-keygen -t ed25519 -f key',
    'python bench/run.py --device cuda',
  ])('%s changes nothing outside', (script) => {
    expect(scanScript(script)).toEqual([]);
  });

  it('joins continuation lines and names the evidence', () => {
    expect(scanScript('docker buildx build \\\n  --platform linux/amd64 \\\n  --push -t app .')).toEqual([
      { kind: 'mutation', what: 'pushes an image', evidence: 'docker buildx build --platform linux/amd64 --push …' },
    ]);
  });

  it('is fast on pathological input', () => {
    const started = Date.now();
    scanScript(`git ${'-c a=b '.repeat(2000)}x`);
    scanScript(`kubectl ${'--flag value '.repeat(3000)}`);
    scanScript(`ssh ${'a '.repeat(5000)}`);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('actions', () => {
  it.each([
    ['actions/deploy-pages@v4', {}, 'mutation'],
    ['softprops/action-gh-release@v2', {}, 'mutation'],
    ['docker/login-action@v3', {}, 'credentials'],
    ['aws-actions/configure-aws-credentials@v4', {}, 'credentials'],
    ['google-github-actions/auth@v2', {}, 'credentials'],
    ['azure/login@v2', {}, 'credentials'],
    ['peaceiris/actions-gh-pages@v4', {}, 'mutation'],
    ['JamesIves/github-pages-deploy-action@v4', {}, 'mutation'],
    ['pypa/gh-action-pypi-publish@release/v1', {}, 'mutation'],
    ['docker/build-push-action@v6', { push: 'true' }, 'mutation'],
    ['docker/build-push-action@v6', { push: "${{ github.event_name != 'pull_request' }}" }, 'mutation'],
    ['tailscale/github-action@v3', {}, 'network'],
  ])('%s is %s', (uses, inputs, kind) => {
    expect(scanAction(uses, inputs).map((finding) => finding.kind)).toEqual([kind]);
  });

  it.each([
    ['docker/build-push-action@v6', { push: 'false' }],
    ['docker/build-push-action@v6', {}],
    ['actions/checkout@v4', {}],
    ['actions/upload-pages-artifact@v3', {}],
    ['./.github/actions/deploy', {}],
  ])('%s does nothing that matters', (uses, inputs) => {
    expect(scanAction(uses, inputs)).toEqual([]);
  });

  it('reads Forgejo action URLs', () => {
    expect(actionName('https://code.forgejo.org/actions/checkout@v4')).toBe('actions/checkout');
    expect(isSetupAction('https://code.forgejo.org/actions/checkout@v4')).toBe(true);
    expect(isSetupAction('actions/setup-node@v4')).toBe(true);
    expect(isSetupAction('dtolnay/rust-toolchain@stable')).toBe(true);
    expect(isSetupAction('actions/github-script@v7')).toBe(false);
  });
});
