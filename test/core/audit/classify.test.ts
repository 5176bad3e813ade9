import { describe, expect, it } from 'vitest';
import { failingWorkflows } from '../../../src/core/audit/classify.js';
import type { AuditResult, WorkflowClass } from '../../../src/core/audit/types.js';
import { audit, job, jobWorkflow, one, stepWorkflow } from './helpers.js';

const CI = `on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
`;

describe('jobs: what makes a job local-only', () => {
  it('a plain CI job is external-safe with no reasons', () => {
    const report = one(CI);
    expect(report).toMatchObject({ class: 'external-safe', reasons: [], move: [] });
    expect(job(report, 'test')).toMatchObject({ class: 'external-safe', reasons: [] });
  });

  it.each([
    ['the automatic token', '      - run: gh pr view\n        env:\n          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n'],
    ['github.token', '      - run: gh pr view\n        env:\n          GH_TOKEN: ${{ github.token }}\n'],
    ['variables', '      - run: echo ${{ vars.REGION }}\n'],
    ['a file named secrets', '      - run: cat secrets.example.json\n'],
  ])('%s is not a secret', (_label, step) => {
    expect(one(stepWorkflow(step)).class).toBe('external-safe');
  });

  it.each([
    ['a secret in a step', '      - name: Publish\n        run: ./publish.sh\n        env:\n          TOKEN: ${{ secrets.NPM_TOKEN }}\n', 'uses secrets.NPM_TOKEN in step "Publish"'],
    ['a secret in a condition', "      - name: Maybe\n        if: secrets.SLACK_WEBHOOK != ''\n        run: ./notify.sh\n", 'uses secrets.SLACK_WEBHOOK in step "Maybe"'],
    ['every secret', '      - name: Dump\n        run: echo\n        env:\n          ALL: ${{ toJSON(secrets) }}\n', 'uses all secrets (toJSON(secrets)) in step "Dump"'],
    ['an unnamed step', '      - run: ./upload.sh ${{ secrets.UPLOAD_KEY }}\n', 'uses secrets.UPLOAD_KEY in step "./upload.sh ${{ secrets.UPLOAD_KEY }}"'],
  ])('%s', (_label, step, reason) => {
    const report = one(stepWorkflow(step));
    expect(job(report, 'j').reasons).toContain(reason);
    expect(report.class).toBe('local-only');
  });

  it.each([
    ['an environment', '    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: make\n', 'uses environment "production" (its secrets and protection rules)'],
    ['an environment with a url', '    runs-on: ubuntu-latest\n    environment:\n      name: staging\n      url: https://staging.example.com\n    steps:\n      - run: make\n', 'uses environment "staging" (its secrets and protection rules)'],
    ['job write permissions', '    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n      packages: write\n    steps:\n      - run: make\n', 'permissions grant write access: contents: write, packages: write'],
    ['write-all', '    runs-on: ubuntu-latest\n    permissions: write-all\n    steps:\n      - run: make\n', 'permissions: write-all lets the token write everywhere (and request an OIDC token)'],
    ['OIDC', '    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n      contents: read\n    steps:\n      - run: make\n', 'requests an OIDC token (id-token: write) to assume cloud or registry identities'],
    ['a GPU', '    runs-on: [self-hosted, linux, gpu]\n    steps:\n      - run: make\n', 'runs on [self-hosted, linux, gpu], needing what only particular runners have: "gpu" (names an accelerator)'],
    ['an architecture', '    runs-on: [self-hosted, arm64]\n    steps:\n      - run: make\n', 'runs on [self-hosted, arm64], needing what only particular runners have: "arm64" (names an architecture)'],
    ['the host\'s Docker socket', '    runs-on: ubuntu-latest\n    container:\n      image: docker:27\n      volumes:\n        - /var/run/docker.sock:/var/run/docker.sock\n    steps:\n      - run: make\n', 'mounts the host path /var/run/docker.sock into the job container'],
    ['a service on a private address', '    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsS http://10.0.3.7:8080/health\n', 'reaches a private address (10.0.3.7) in step "curl -fsS http://10.0.3.7:8080/health"'],
    ['an internal host name', '    runs-on: ubuntu-latest\n    steps:\n      - run: psql -h db.corp -c "select 1"\n', 'reaches a private address (db.corp) in step "psql -h db.corp -c "select 1""'],
    ['a host path', '    runs-on: ubuntu-latest\n    steps:\n      - run: cp -r /srv/models ./models\n', 'uses host paths outside the workspace (/srv/models) in step "cp -r /srv/models ./models"'],
    ['a container with GPUs', '    runs-on: ubuntu-latest\n    container:\n      image: nvidia/cuda:12.4.0-base-ubuntu22.04\n      options: --gpus all\n    steps:\n      - run: make\n', 'container asks for host devices (--gpus all): needs particular hardware'],
    ['registry credentials', '    runs-on: ubuntu-latest\n    container:\n      image: registry.example.com/ci:1\n      credentials:\n        username: ci\n        password: ${{ secrets.REGISTRY_PASSWORD }}\n    steps:\n      - run: make\n', "uses secrets.REGISTRY_PASSWORD in the job's container credentials"],
    ['a service password', '    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: ${{ secrets.DB_PASSWORD }}\n    steps:\n      - run: make\n', 'uses secrets.DB_PASSWORD in the job\'s service "db"'],
    ['a secret in the job env', '    runs-on: ubuntu-latest\n    env:\n      TOKEN: ${{ secrets.API_TOKEN }}\n    steps:\n      - run: make\n', "uses secrets.API_TOKEN in the job's env"],
  ])('%s', (_label, body, reason) => {
    const report = one(jobWorkflow(body));
    expect(job(report, 'j')).toMatchObject({ class: 'local-only' });
    expect(job(report, 'j').reasons).toContain(reason);
  });

  it('workflow write permissions apply to jobs without their own', () => {
    const report = one(`on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - run: make test
`);
    expect(job(report, 'release').reasons).toEqual(['workflow permissions grant write access: contents: write']);
    expect(job(report, 'test').class).toBe('external-safe');
    expect(report.class).toBe('needs-split');
  });

  it.each(['read-all', '{}', '\n  contents: read\n  pull-requests: read'])('permissions %s are read-only', (permissions) => {
    expect(one(CI.replace('permissions:\n  contents: read', `permissions: ${permissions}`)).class).toBe('external-safe');
  });

  it('without permissions: a note, not a reason (the default is a repository setting)', () => {
    const report = one(CI.replace('permissions:\n  contents: read\n', ''));
    expect(report.class).toBe('external-safe');
    expect(report.notes.join('\n')).toMatch(/no job declares `permissions:`: the token gets the repository's default permissions/);
  });

  it('a secret in the workflow env reaches every job', () => {
    const report = one(`on: push
permissions: {}
env:
  TOKEN: \${{ secrets.API_TOKEN }}
jobs:
  a:
    runs-on: ubuntu-latest
    steps: [{ run: make }]
  b:
    runs-on: ubuntu-latest
    steps: [{ run: make test }]
`);
    expect(report.class).toBe('local-only');
    for (const id of ['a', 'b']) expect(job(report, id).reasons).toEqual(["uses secrets.API_TOKEN in the workflow's env (every job gets it)"]);
  });

  it('resolves runs-on through the matrix and through YAML anchors', () => {
    const report = one(`on: push
permissions: {}
x-runners: &gpu [self-hosted, gpu]
jobs:
  matrix:
    runs-on: \${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-2022]
    steps: [{ run: make }]
  anchored:
    runs-on: *gpu
    steps: [{ run: make }]
`);
    expect(job(report, 'matrix').class).toBe('external-safe');
    expect(job(report, 'anchored').class).toBe('local-only');
  });

  it('an unknowable runner is a note, not a reason', () => {
    const report = one(jobWorkflow('    runs-on: ${{ inputs.runner }}\n    steps:\n      - run: make\n'));
    expect(job(report, 'j')).toMatchObject({ class: 'external-safe', notes: ['runs-on "${{ inputs.runner }}" is computed at run time: the runner cannot be known from the file'] });
  });

  it('Forgejo: the docker label, action URLs and the automatic token are external-safe', () => {
    const report = one(
      `on: [push]
jobs:
  test:
    runs-on: docker
    steps:
      - uses: https://code.forgejo.org/actions/checkout@v4
      - run: make test
        env:
          A: \${{ secrets.FORGEJO_TOKEN }}
          B: \${{ secrets.GITEA_TOKEN }}
          C: \${{ forgejo.token }}
`,
      'forgejo',
    );
    expect(report).toMatchObject({ platform: 'forgejo', class: 'external-safe' });
    expect(report.notes.join('\n')).toMatch(/instance's and repository's settings/);
  });
});

describe('steps that publish, deploy or log in', () => {
  it.each([
    ['npm publish', '      - name: Publish\n        run: npm publish\n', 'publishes a package (npm publish) in step "Publish"'],
    ['docker push', '      - run: docker push ghcr.io/acme/app\n', 'pushes an image (docker push ghcr.io/acme/app) in step "docker push ghcr.io/acme/app"'],
    ['gh release', '      - name: Release\n        run: gh release create v1.0.0\n', 'creates or changes a release (gh release create v1.0.0) in step "Release"'],
    ['twine', '      - name: Upload\n        run: twine upload dist/*\n', 'publishes a package (twine upload dist/*) in step "Upload"'],
    ['cargo', '      - name: Publish\n        run: cargo publish\n', 'publishes a crate (cargo publish) in step "Publish"'],
    ['kubectl', '      - name: Deploy\n        run: kubectl apply -f k8s/\n', 'deploys to Kubernetes (kubectl apply -f k8s/) in step "Deploy"'],
    ['terraform', '      - name: Apply\n        run: terraform apply -auto-approve\n', 'changes infrastructure (terraform apply -auto-approve) in step "Apply"'],
    ['git push', '      - name: Push\n        run: |\n          git commit -am "bump"\n          git push origin main\n', 'pushes commits (git push origin main) in step "Push"'],
    ['deploy-pages', '      - uses: actions/deploy-pages@v4\n', 'deploys GitHub Pages (actions/deploy-pages) in step "actions/deploy-pages@v4"'],
    ['gh-release action', '      - name: Release\n        uses: softprops/action-gh-release@v2\n', 'creates a release (softprops/action-gh-release) in step "Release"'],
    ['docker login', '      - name: Login\n        uses: docker/login-action@v3\n', 'logs in to a container registry (docker/login-action) in step "Login"'],
    ['aws credentials', '      - name: AWS\n        uses: aws-actions/configure-aws-credentials@v4\n', 'obtains AWS credentials (aws-actions/configure-aws-credentials) in step "AWS"'],
    ['gcp auth', '      - name: GCP\n        uses: google-github-actions/auth@v2\n', 'obtains Google Cloud credentials (google-github-actions/auth) in step "GCP"'],
    ['azure login', '      - name: Azure\n        uses: azure/login@v2\n', 'obtains Azure credentials (azure/login) in step "Azure"'],
    ['gh-pages', '      - name: Pages\n        uses: peaceiris/actions-gh-pages@v4\n', 'deploys GitHub Pages (peaceiris/actions-gh-pages) in step "Pages"'],
    ['pages deploy action', '      - name: Pages\n        uses: JamesIves/github-pages-deploy-action@v4\n', 'deploys GitHub Pages (jamesives/github-pages-deploy-action) in step "Pages"'],
    ['pypi', '      - name: PyPI\n        uses: pypa/gh-action-pypi-publish@release/v1\n', 'publishes to PyPI (pypa/gh-action-pypi-publish) in step "PyPI"'],
  ])('%s', (_label, step, reason) => {
    const report = one(stepWorkflow(step));
    expect(job(report, 'j').reasons).toEqual([reason]);
    expect(job(report, 'j').signals[0]).toMatchObject({ scope: 'step', line: expect.any(Number) });
  });

  it('a dry run changes nothing', () => {
    expect(one(stepWorkflow('      - run: npm publish --dry-run\n')).class).toBe('external-safe');
  });
});

describe('needs-split inside a job', () => {
  const RELEASE = `on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
      - name: Build
        run: npm ci && npm run build
      - name: Test
        run: npm test
      - name: Publish
        run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;

  it('build and test steps plus a publish step: the publish step would move', () => {
    const report = one(RELEASE);
    expect(job(report, 'release')).toMatchObject({
      class: 'needs-split',
      move: ['Publish'],
      reasons: ['uses secrets.NPM_TOKEN in step "Publish"', 'publishes a package (npm publish) in step "Publish"'],
    });
    expect(report).toMatchObject({ class: 'needs-split', move: [{ job: 'release', steps: ['Publish'] }] });
  });

  it('checkout and setup are not work of their own: checkout + publish is local-only', () => {
    const report = one(RELEASE.replace(/      - name: Build\n[\s\S]*?      - name: Publish/, '      - name: Publish'));
    expect(job(report, 'release').class).toBe('local-only');
    expect(report.class).toBe('local-only');
  });

  it('a job needing a capability of its runner moves whole', () => {
    expect(job(one(RELEASE.replace('ubuntu-latest', '[self-hosted, gpu]')), 'release').class).toBe('local-only');
  });

  it('placement alone does not pin a job: on [self-hosted, lab] the publish step still splits off', () => {
    expect(job(one(RELEASE.replace('ubuntu-latest', '[self-hosted, lab]')), 'release')).toMatchObject({ class: 'needs-split', move: ['Publish'] });
  });

  it('an environment keeps the whole job local (its approvals and secrets gate the job, not a step)', () => {
    const report = one(RELEASE.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    environment: npm\n'));
    expect(job(report, 'release')).toMatchObject({ class: 'local-only' });
    expect(job(report, 'release').move).toBeUndefined();
  });

  it('workflow-level id-token: write keeps every job whole', () => {
    const report = one(RELEASE.replace('permissions:\n  contents: read\n', 'permissions:\n  contents: read\n  id-token: write\n'));
    expect(job(report, 'release').class).toBe('local-only');
    expect(job(report, 'release').reasons).toContain('requests an OIDC token (workflow id-token: write) to assume cloud or registry identities');
  });

  it('job write permissions still move with the steps that need them', () => {
    const report = one(RELEASE.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n'));
    const release = job(report, 'release');
    expect(release.class).toBe('needs-split');
    expect(release.notes).toContain('the moved steps take with them what the whole job has now: permissions grant write access: contents: write');
  });

  it('job-level evidence alone cannot be attributed to a step: local-only', () => {
    const report = one(jobWorkflow('    runs-on: ubuntu-latest\n    environment: prod\n    steps:\n      - run: make\n      - run: ./deploy.sh\n'));
    expect(job(report, 'j').class).toBe('local-only');
  });
});

describe('workflows', () => {
  it('mixed jobs: needs-split, naming the jobs that would move and the hand-overs', () => {
    const report = one(`on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps: [{ run: make }]
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment: production
    steps: [{ run: ./deploy.sh }]
  notify:
    needs: deploy
    runs-on: ubuntu-latest
    steps: [{ run: echo done }]
`);
    expect(report.class).toBe('needs-split');
    expect(report.move).toEqual([{ job: 'deploy' }]);
    expect(report.reasons).toEqual(['local-only job "deploy"', 'external-safe jobs "build", "notify"']);
    expect(report.notes).toContain('job "deploy" would move but needs "build", which stays: the local workflow must rebuild it or fetch its artifacts');
    expect(report.notes).toContain('job "notify" stays but needs "deploy", which would move: hand its results over (an artifact, or a workflow_run trigger)');
  });

  it('all jobs local-only: local-only', () => {
    const report = one(jobWorkflow('    runs-on: [self-hosted, gpu]\n    steps: [{ run: make }]\n'));
    expect(report).toMatchObject({ class: 'local-only', reasons: ['its only job "j" is local-only'], move: [] });
  });

  it('notes the triggers that run with secrets on untrusted code, and schedules', () => {
    const report = one(`on:
  pull_request_target:
  workflow_run:
    workflows: [CI]
    types: [completed]
  schedule:
    - cron: '0 3 * * 1'
permissions:
  contents: read
jobs:
  j:
    runs-on: ubuntu-latest
    steps: [{ run: make }]
`);
    expect(report.triggers).toEqual(['pull_request_target', 'workflow_run', 'schedule']);
    expect(report.notes.join('\n')).toMatch(/pull_request_target: runs in the base repository with its secrets and a read\/write token/);
    expect(report.notes.join('\n')).toMatch(/workflow_run: runs with secrets/);
    expect(report.notes.join('\n')).toMatch(/runs on a schedule \("0 3 \* \* 1"\)/);
    // declared read-only permissions: the trigger alone does not make it local-only
    expect(report.class).toBe('external-safe');
  });

  it('pull_request_target without permissions has a write token; checking out the head is flagged', () => {
    const report = one(`on: pull_request_target
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm run build
`);
    const preview = job(report, 'preview');
    expect(preview.class).toBe('local-only');
    expect(preview.reasons).toEqual(['has a read/write token: pull_request_target grants one when no `permissions:` restricts it']);
    expect(preview.notes[0]).toMatch(/^danger: step "actions\/checkout@v4" checks out untrusted code \(actions\/checkout with ref: \$\{\{ github.event.pull_request.head.sha \}\}\)/);
  });
});

describe('reusable workflows', () => {
  const DEPLOY = `on:
  workflow_call:
    secrets:
      KEY: { required: true }
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: ./deploy.sh
        env:
          KEY: \${{ secrets.KEY }}
`;
  const LINT = `on: workflow_call
jobs:
  lint:
    runs-on: ubuntu-latest
    steps: [{ run: npm run lint }]
`;
  const caller = (jobBody: string) => `on: push
permissions:
  contents: read
jobs:
  call:
${jobBody}`;

  it('follows a local call: the callee\'s local-only jobs make the call local-only', () => {
    const result = audit({ 'deploy.yml': DEPLOY, 'main.yml': caller('    uses: ./.github/workflows/deploy.yml\n') });
    const main = result.workflows.find((w) => w.file === '.github/workflows/main.yml')!;
    expect(job(main, 'call')).toMatchObject({ class: 'local-only', calls: './.github/workflows/deploy.yml' });
    expect(job(main, 'call').reasons[0]).toBe(
      'calls ./.github/workflows/deploy.yml, whose job "deploy" is local-only: uses environment "production" (its secrets and protection rules); uses secrets.KEY in step "./deploy.sh"',
    );
    const deploy = result.workflows.find((w) => w.file === '.github/workflows/deploy.yml')!;
    expect(deploy.notes).toContain('called by .github/workflows/main.yml (job "call"), which decides its secrets and permissions');
  });

  it('an external-safe callee called without secrets is external-safe', () => {
    const result = audit({ 'lint.yml': LINT, 'main.yml': caller('    uses: ./.github/workflows/lint.yml\n') });
    expect(result.workflows.map((w) => w.class)).toEqual(['external-safe', 'external-safe']);
  });

  it.each([
    ['secrets: inherit', '    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n', 'passes all secrets to ./.github/workflows/lint.yml (secrets: inherit)'],
    ['a named secret', '    uses: ./.github/workflows/lint.yml\n    secrets:\n      TOKEN: ${{ secrets.LINT_TOKEN }}\n', 'passes secrets.LINT_TOKEN to ./.github/workflows/lint.yml'],
    ['caller write permissions', '    uses: ./.github/workflows/lint.yml\n    permissions:\n      contents: write\n', 'permissions grant write access: contents: write'],
  ])('%s makes the call local-only', (_label, body, reason) => {
    const result = audit({ 'lint.yml': LINT, 'main.yml': caller(body) });
    const main = result.workflows.find((w) => w.file === '.github/workflows/main.yml')!;
    expect(job(main, 'call')).toMatchObject({ class: 'local-only', reasons: [reason] });
  });

  it('the caller\'s workflow permissions count for the call, once', () => {
    const result = audit({ 'lint.yml': LINT, 'main.yml': caller('    uses: ./.github/workflows/lint.yml\n').replace('contents: read', 'contents: write') });
    const main = result.workflows.find((w) => w.file === '.github/workflows/main.yml')!;
    expect(job(main, 'call').reasons).toEqual(['workflow permissions grant write access: contents: write']);
  });

  it('the workflow env does not reach a called workflow; the callee defers its token to the caller', () => {
    const result = audit({
      'lint.yml': LINT,
      'main.yml': caller('    uses: ./.github/workflows/lint.yml\n').replace('jobs:', 'env:\n  TOKEN: ${{ secrets.API_TOKEN }}\njobs:'),
    });
    expect(result.workflows.map((w) => w.class)).toEqual(['external-safe', 'external-safe']);
    expect(result.workflows[0]!.notes.join('\n')).not.toMatch(/default permissions/);
  });

  it('a remote call is unknown (a note); secrets passed to it are local-only', () => {
    const remote = one(caller('    uses: octo-org/shared/.github/workflows/scan.yml@v2\n'));
    expect(job(remote, 'call')).toMatchObject({ class: 'external-safe' });
    expect(job(remote, 'call').notes[0]).toMatch(/from another repository: its jobs are not visible here/);
    const withSecrets = one(caller('    uses: octo-org/shared/.github/workflows/scan.yml@v2\n    secrets: inherit\n'));
    expect(job(withSecrets, 'call').class).toBe('local-only');
  });

  it('a missing or recursive callee is a note, and classification terminates', () => {
    const missing = one(caller('    uses: ./.github/workflows/nowhere.yml\n'));
    expect(job(missing, 'call').notes).toEqual(['calls ./.github/workflows/nowhere.yml, which is not among the workflow files: its jobs are unknown']);
    const loop = audit({
      'a.yml': 'on: workflow_call\njobs:\n  b:\n    uses: ./.github/workflows/b.yml\n',
      'b.yml': 'on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/a.yml\n',
    });
    expect(loop.workflows.map((w) => w.class)).toEqual(['external-safe', 'external-safe']);
    expect(loop.workflows[0]!.jobs[0]!.notes).toEqual([
      'via ./.github/workflows/b.yml: calls ./.github/workflows/a.yml recursively: not followed again',
    ]);
  });
});

describe('files that are not workflows', () => {
  it.each([
    ['a YAML error', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n     - run: y\n', { line: 7 }],
    ['duplicate keys', 'on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n', { message: 'Map keys must be unique', line: 5 }],
    ['an empty file', '', { message: 'empty file: not a workflow' }],
    ['a list', '- a\n- b\n', { message: 'not a workflow: the top level is not a mapping' }],
    ['no jobs', 'on: push\nname: x\n', { message: 'no `jobs:`' }],
    ['no on', 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{ run: x }]\n', { message: 'no `on:` (the events that trigger the workflow)' }],
    ['a job without runs-on', 'on: push\njobs:\n  a:\n    steps: [{ run: x }]\n', { message: 'job "a" has neither `runs-on:` nor `uses:`', line: 3 }],
    ['a step without run or uses', 'on: push\njobs:\n  a:\n    runs-on: docker\n    steps:\n      - name: nothing\n', { message: 'job "a", step 1: neither `run:` nor `uses:`', line: 6 }],
    ['an alias bomb', `on: push\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 6 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n')}\njobs: {}\n`, { message: 'the workflow expands to too many values (aliases)' }],
  ])('%s is invalid, with the error', (_label, text, error) => {
    const report = one(text);
    expect(report.class).toBe('invalid');
    expect(report.jobs).toEqual([]);
    expect(report.errors![0]).toMatchObject(error);
    expect(report.reasons.length).toBeGreaterThan(0);
  });
});

describe('--fail-on', () => {
  const result = (...classes: WorkflowClass[]): AuditResult => {
    const workflows = classes.map((cls, i) => ({ file: `w${i}.yml`, platform: 'github' as const, class: cls, triggers: [], reasons: [], notes: [], move: [], jobs: [], flags: [] }));
    return { root: '/', directories: [], workflows, summary: { 'external-safe': 0, 'local-only': 0, 'needs-split': 0, invalid: 0 }, notes: [] };
  };
  const failing = (failOn: WorkflowClass, ...classes: WorkflowClass[]) => failingWorkflows(result(...classes), failOn).map((w) => w.class);

  it('local-only accepts only external-safe workflows', () => {
    expect(failing('local-only', 'external-safe', 'local-only', 'needs-split', 'invalid')).toEqual(['local-only', 'needs-split', 'invalid']);
    expect(failing('local-only', 'external-safe')).toEqual([]);
  });

  it('needs-split refuses mixed workflows and files that do not parse', () => {
    expect(failing('needs-split', 'external-safe', 'local-only', 'needs-split', 'invalid')).toEqual(['needs-split', 'invalid']);
  });

  it('an empty repository passes', () => {
    const empty = audit({});
    expect(empty.workflows).toEqual([]);
    expect(failingWorkflows(empty, 'local-only')).toEqual([]);
  });
});
