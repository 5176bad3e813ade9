import { describe, expect, it } from 'vitest';
import { isWorkflowPath, workflowHoldReasons } from '../../src/core/sync/held-workflows.js';

const job = (body: string) => `on: push\njobs:\n  build:\n${body}`;

describe('workflows that belong to the private side', () => {
  it.each([
    ['self-hosted labels', job('    runs-on: [self-hosted, linux]\n    steps: [{ run: make }]\n'), /job build runs on self-hosted runners/],
    ['a runner group', job('    runs-on: { group: lab }\n    steps: [{ run: make }]\n'), /runner group/],
    ['self-hosted through the matrix', job('    strategy: { matrix: { os: [ubuntu-latest, self-hosted] } }\n    runs-on: ${{ matrix.os }}\n    steps: [{ run: make }]\n'), /self-hosted/],
    ['a named secret', job('    runs-on: ubuntu-latest\n    steps:\n      - run: deploy\n        env: { KEY: "${{ secrets.DEPLOY_KEY }}" }\n'), /reads secrets\.DEPLOY_KEY/],
    ['a secret in a condition', job('    runs-on: ubuntu-latest\n    if: secrets.TOKEN != \'\'\n    steps: [{ run: make }]\n'), /reads secrets\.TOKEN/],
    ['every secret passed on', 'on: push\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n', /secrets: inherit/],
    ['a broken file naming self-hosted', 'on: push\njobs: [\n  runs-on: self-hosted', /names self-hosted runners/],
  ])('holds %s', (_, text, reason) => {
    expect(workflowHoldReasons(text).join('; ')).toMatch(reason);
  });

  it.each([
    ['hosted runners and the automatic token', job('    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr list\n        env: { GH_TOKEN: "${{ secrets.GITHUB_TOKEN }}", T: "${{ github.token }}" }\n')],
    ['Forgejo docker runners', job('    runs-on: docker\n    steps: [{ run: make }]\n')],
    ['"secrets" inside a string literal', job("    runs-on: ubuntu-latest\n    steps: [{ run: \"echo ${{ 'secrets.X' }}\" }]\n")],
  ])('lets through %s', (_, text) => {
    expect(workflowHoldReasons(text)).toEqual([]);
  });

  it('knows the forges\' workflow folders', () => {
    expect(['.github/workflows/a.yml', '.forgejo/workflows/b.yaml', '.gitea/workflows/c.YML'].every(isWorkflowPath)).toBe(true);
    expect(['.github/workflows/sub/a.yml', 'workflows/a.yml', '.github/actions/x/action.yml', '.github/workflows/a.txt'].some(isWorkflowPath)).toBe(false);
  });
});
