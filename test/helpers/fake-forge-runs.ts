import type { FakeForge, FakeRouteHandler } from './fake-forge.js';

/**
 * Workflow runs for the fake forge, in the real list shapes:
 * GitHub `GET /repos/{o}/{r}/actions/workflows/{file}/runs` → `{ total_count, workflow_runs: [...] }`
 * newest first, 404 when the workflow file does not exist. Forgejo before its
 * native runs list (14.x) has no such endpoint: the fake answers it with the plain
 * 404 such a server gives (its newer shape is not modelled here yet).
 *
 * ```ts
 * const fake = await startFakeForge('github', { token });
 * const runs = fakeWorkflowRuns();
 * fake.use(runs.handler(fake));
 * runs.add('acme/widgets', 'mirror-sync-down.yml', { conclusion: 'failure' });
 * ```
 */
export interface FakeRunSeed {
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled' | null;
  /** ISO date; default one second after the previous run */
  createdAt?: string;
  branch?: string;
}

export interface FakeWorkflowRuns {
  /** the endpoint for one fake forge (GitHub only: see above) */
  handler(fake: Pick<FakeForge, 'kind' | 'url'>): FakeRouteHandler;
  /** declares the workflow file on a repository (runs list answers empty rather than 404) */
  workflow(fullName: string, file: string): void;
  add(fullName: string, file: string, run?: FakeRunSeed): number;
}

export function fakeWorkflowRuns(): FakeWorkflowRuns {
  const workflows = new Map<string, Array<{ id: number; status: string; conclusion: string | null; createdAt: string; branch: string }>>();
  let nextId = 9000;
  let clock = Date.UTC(2026, 2, 1);
  const key = (fullName: string, file: string) => `${fullName.toLowerCase()}#${file}`;

  const handler = ({ kind, url }: Pick<FakeForge, 'kind' | 'url'>): FakeRouteHandler => ({ method, apiPath, query, authenticated }) => {
    const match = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/.exec(apiPath);
    if (!match || method !== 'GET') return undefined;
    const fullName = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
    const file = decodeURIComponent(match[3]!);
    const runs = workflows.get(key(fullName, file));
    if (kind !== 'github') return undefined;
    // the fleet's mirrors are private: anonymous readers get GitHub's 404, as for any private repository
    if (!runs || !authenticated) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-workflow', status: '404' } };
    const size = Math.min(Number(query.per_page ?? query.limit ?? 30) || 30, 100);
    const newest = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, size);
    const html = (id: number) => `${url}/${fullName}/actions/runs/${id}`;
    if (kind === 'github') {
      return {
        status: 200,
        body: {
          total_count: runs.length,
          workflow_runs: newest.map((run, index) => ({
            id: run.id,
            name: 'mirror sync-down',
            head_branch: run.branch,
            head_sha: run.id.toString(16).padStart(40, '0'),
            path: `.github/workflows/${file}`,
            run_number: runs.length - index,
            event: 'schedule',
            status: run.status,
            conclusion: run.conclusion,
            workflow_id: 1,
            html_url: html(run.id),
            created_at: run.createdAt,
            updated_at: run.createdAt,
            run_started_at: run.createdAt,
          })),
        },
      };
    }
    return undefined;
  };

  return {
    handler,
    workflow(fullName, file) {
      if (!workflows.has(key(fullName, file))) workflows.set(key(fullName, file), []);
    },
    add(fullName, file, seed = {}) {
      this.workflow(fullName, file);
      clock += 1000;
      const id = nextId++;
      const status = seed.status ?? 'completed';
      workflows.get(key(fullName, file))!.push({
        id,
        status,
        conclusion: status === 'completed' ? (seed.conclusion === undefined ? 'success' : seed.conclusion) : null,
        createdAt: seed.createdAt ?? new Date(clock).toISOString(),
        branch: seed.branch ?? 'main',
      });
      return id;
    },
  };
}
