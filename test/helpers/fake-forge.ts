import { spawnSync } from 'node:child_process';
/**
 * A fake forge for tests: a node:http server on 127.0.0.1 (port 0) that speaks the
 * real endpoints' shapes of either GitHub's REST v3 or Forgejo/Gitea's `/api/v1`:
 * same paths, status codes and JSON field names (GitHub's `html_url`,
 * `head.label` = `owner:branch`, `security_and_analysis`, 404 "Branch not
 * protected"; Forgejo's `head.label` = bare branch, 409 on a duplicate pull
 * request, 201 on edit, `X-Total-Count`, …). State lives in memory: seed it, run
 * the code under test, inspect it.
 *
 * ```ts
 * const fake = await startFakeForge('github', { token: 'test-token' });
 * fake.addRepo({ owner: 'acme', name: 'widgets', branches: ['main', 'topic'], protectedBranches: ['main'] });
 * const forge = await createForge('github', { apiUrl: fake.apiUrl, token: 'test-token' });
 * // or: connectForge(fake.remoteUrl('acme/widgets'), { kind: 'github', apiUrl: fake.apiUrl, token: 'test-token' })
 * fake.fail({ status: 429, times: 2, headers: { 'retry-after': '0' } }); // next two requests are rate limited
 * expect(fake.pulls('acme/widgets')).toHaveLength(1);
 * expect(fake.requests.every((r) => r.auth === 'valid')).toBe(true);
 * await fake.close();
 * ```
 *
 * Permissions: requests without a token are anonymous (public reads only, writes
 * get 401); a wrong token gets 401; `admin: false` on a repository makes the
 * admin-only endpoints (runners, branch protection details, GitHub's
 * `security_and_analysis`) answer 403 or leave the field out, as the real forges do.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export type FakeForgeKind = 'github' | 'forgejo';

export interface FakeRunnerSeed {
  name: string;
  labels: string[];
  status?: 'online' | 'offline';
}

export interface FakeRepoSeed {
  owner: string;
  name: string;
  private?: boolean;
  /** GitHub Enterprise `internal`; on Forgejo, a public repository of a limited organisation */
  internal?: boolean;
  /** default `main` */
  defaultBranch?: string;
  /** default: the default branch only */
  branches?: string[];
  protectedBranches?: string[];
  /** GitHub only; `null` leaves the field out (as a GitHub Enterprise Server without the feature does); default `disabled` */
  secretScanning?: 'enabled' | 'disabled' | null;
  pushProtection?: 'enabled' | 'disabled' | null;
  fork?: boolean;
  archived?: boolean;
  /** whether the test token has admin rights here (default true) */
  admin?: boolean;
  runners?: FakeRunnerSeed[];
  /** a bare git repository whose branches the fake reports live, as a forge reflects pushes */
  git?: string;
}

/** Branches a test seeded, plus (when a bare repository backs the fake one) whatever was pushed there. */
class LiveBranches extends Set<string> {
  gitDir: string | undefined;

  override has(name: string): boolean {
    if (super.has(name)) return true;
    if (!this.gitDir) return false;
    return spawnSync('git', ['--git-dir', this.gitDir, 'rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).status === 0;
  }
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  internal: boolean;
  defaultBranch: string;
  branches: Set<string>;
  protectedBranches: Set<string>;
  secretScanning: 'enabled' | 'disabled' | null;
  pushProtection: 'enabled' | 'disabled' | null;
  fork: boolean;
  archived: boolean;
  admin: boolean;
  runners: FakeRunnerSeed[];
}

export interface FakePull {
  id: number;
  number: number;
  /** the base repository, `owner/name` */
  repo: string;
  title: string;
  body: string;
  head: string;
  headOwner: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  /** ISO date; by default one minute after the previous pull request */
  createdAt: string;
}

export interface RecordedRequest {
  method: string;
  /** the full request path, without query */
  path: string;
  /** the path below the API root, e.g. `/repos/acme/widgets/pulls` */
  apiPath: string;
  query: Record<string, string>;
  body: unknown;
  /** whether an Authorization header came, and whether it carried the expected token; the value is never kept */
  auth: 'none' | 'valid' | 'invalid';
  /** the If-None-Match header, when one came */
  ifNoneMatch?: string;
  /** the status answered (set once answered) */
  status?: number;
}

export interface Fault {
  /** answer with this status (default 502) … */
  status?: number;
  headers?: Record<string, string>;
  /** JSON body, or a string sent as text/plain; a default message otherwise */
  body?: unknown;
  /** … or drop the connection without answering (ECONNRESET / "other side closed") */
  reset?: boolean;
  /** only requests with this method */
  method?: string;
  /** only requests whose API path equals this string or matches this pattern */
  path?: string | RegExp;
  /** how many matching requests fail (default 1; Infinity for a lasting condition such as a 403) */
  times?: number;
}

export interface FakeForge {
  readonly kind: FakeForgeKind;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** where the API lives: `url` for GitHub (like api.github.com), `url/api/v1` for Forgejo */
  readonly apiUrl: string;
  /** every request received, oldest first */
  readonly requests: RecordedRequest[];
  /** a clone URL for `owner/name` on this server */
  remoteUrl(fullName: string): string;
  addRepo(seed: FakeRepoSeed): FakeRepo;
  repo(fullName: string): FakeRepo;
  /** seeds a pull request; `head` is `branch` or `owner:branch` */
  addPullRequest(fullName: string, pull: { head: string; base?: string; title?: string; body?: string; state?: 'open' | 'closed'; createdAt?: string }): FakePull;
  /** the pull requests of a base repository, by number */
  pulls(fullName: string): FakePull[];
  /** queues a fault for the next matching request(s) */
  fail(fault: Fault): void;
  clearFaults(): void;
  /** forgets recorded requests */
  resetLog(): void;
  /** adds endpoints (tried first; undefined falls through): see fake-actions-runs.ts */
  use(handler: FakeRouteHandler): void;
  close(): Promise<void>;
}

export interface FakeRouteRequest {
  method: string;
  apiPath: string;
  query: Record<string, string>;
  body: unknown;
  authenticated: boolean;
  headers: Record<string, string | string[] | undefined>;
}

export type FakeRouteHandler = (request: FakeRouteRequest) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

export interface FakeForgeOptions {
  /** the token the server accepts; without it any Authorization header counts as valid */
  token?: string;
  /** Forgejo answers the runner list as a plain array (default); Gitea as `{ runners, total_count }` */
  runnersShape?: 'forgejo' | 'gitea';
  /** GitHub only: serve under `/api/v3`, like GitHub Enterprise Server */
  enterprise?: boolean;
  /** extra endpoints (test/helpers/fake-actions.ts): asked first; undefined falls through to the built-in routes */
  extraRoutes?: FakeRouteHandler;
  /** answer GETs with an ETag (a hash of the body) and a matching If-None-Match with 304, as both forges do */
  etags?: boolean;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

export async function startFakeForge(kind: FakeForgeKind, options: FakeForgeOptions = {}): Promise<FakeForge> {
  const repos = new Map<string, FakeRepo>();
  const pulls: FakePull[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const requests: RecordedRequest[] = [];
  const handlers: FakeRouteHandler[] = options.extraRoutes ? [options.extraRoutes] : [];
  let nextId = 1;
  const key = (fullName: string) => fullName.toLowerCase();
  const apiRoot = kind === 'forgejo' ? '/api/v1' : options.enterprise ? '/api/v3' : '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, new HttpAnswer(500, { message: String(error) }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const apiUrl = url + apiRoot;

  function getRepo(fullName: string): FakeRepo {
    const repo = repos.get(key(fullName));
    if (!repo) throw new Error(`fake forge: no repository ${fullName}`);
    return repo;
  }

  // ---- JSON in the forges' shapes ------------------------------------------------

  const user = (login: string, id = 1) =>
    kind === 'github' ? { login, id, type: 'User', html_url: `${url}/${login}` } : { id, login, username: login, full_name: '', email: '' };

  function repoJson(repo: FakeRepo, admin: boolean): Record<string, unknown> {
    const fullName = `${repo.owner}/${repo.name}`;
    if (kind === 'github') {
      const json: Record<string, unknown> = {
        id: repo.id,
        node_id: `R_${repo.id}`,
        name: repo.name,
        full_name: fullName,
        private: repo.private || repo.internal,
        visibility: repo.internal ? 'internal' : repo.private ? 'private' : 'public',
        owner: user(repo.owner),
        html_url: `${url}/${fullName}`,
        url: `${apiUrl}/repos/${fullName}`,
        fork: repo.fork,
        archived: repo.archived,
        default_branch: repo.defaultBranch,
        permissions: { admin, maintain: admin, push: admin, triage: admin, pull: true },
      };
      if (admin) {
        const security: Record<string, unknown> = {};
        if (repo.secretScanning !== null) security.secret_scanning = { status: repo.secretScanning };
        if (repo.pushProtection !== null) security.secret_scanning_push_protection = { status: repo.pushProtection };
        json.security_and_analysis = security;
      }
      return json;
    }
    return {
      id: repo.id,
      owner: user(repo.owner),
      name: repo.name,
      full_name: fullName,
      description: '',
      empty: false,
      private: repo.private,
      internal: repo.internal,
      fork: repo.fork,
      template: false,
      mirror: false,
      archived: repo.archived,
      html_url: `${url}/${fullName}`,
      url: `${apiUrl}/repos/${fullName}`,
      clone_url: `${url}/${fullName}.git`,
      default_branch: repo.defaultBranch,
      permissions: { admin, push: admin, pull: true },
      has_pull_requests: true,
      has_actions: true,
    };
  }

  function pullJson(pull: FakePull, admin: boolean): Record<string, unknown> {
    const baseRepo = getRepo(pull.repo);
    const headRepo = repos.get(key(`${pull.headOwner}/${baseRepo.name}`));
    if (kind === 'github') {
      const end = (owner: string, ref: string, repo: FakeRepo | undefined) => ({
        label: `${owner}:${ref}`,
        ref,
        sha: sha(`${owner}/${ref}`),
        user: user(owner),
        repo: repo ? repoJson(repo, false) : null,
      });
      return {
        id: pull.id,
        node_id: `PR_${pull.id}`,
        number: pull.number,
        state: pull.state,
        locked: false,
        title: pull.title,
        body: pull.body,
        user: user(pull.headOwner),
        html_url: `${url}/${pull.repo}/pull/${pull.number}`,
        url: `${apiUrl}/repos/${pull.repo}/pulls/${pull.number}`,
        draft: false,
        merged: pull.merged,
        merged_at: pull.merged ? '2024-01-01T00:00:00Z' : null,
        created_at: pull.createdAt,
        updated_at: pull.createdAt,
        head: end(pull.headOwner, pull.head, headRepo),
        base: end(baseRepo.owner, pull.base, baseRepo),
      };
    }
    const end = (ref: string, repo: FakeRepo | undefined) => ({
      label: ref,
      ref,
      sha: sha(ref),
      repo_id: repo ? repo.id : -1,
      repo: repo ? repoJson(repo, admin) : null,
    });
    const html = `${url}/${pull.repo}/pulls/${pull.number}`;
    return {
      id: pull.id,
      url: html,
      number: pull.number,
      user: user(pull.headOwner),
      title: pull.title,
      body: pull.body,
      labels: [],
      state: pull.state,
      is_locked: false,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      mergeable: true,
      merged: pull.merged,
      merged_at: pull.merged ? '2024-01-01T00:00:00Z' : null,
      created_at: pull.createdAt,
      updated_at: pull.createdAt,
      allow_maintainer_edit: false,
      base: end(pull.base, baseRepo),
      head: end(pull.head, headRepo),
      draft: false,
    };
  }

  // ---- errors in the forges' shapes ----------------------------------------------

  const docs = 'https://docs.github.com/rest';
  const notFound = (message = 'Not Found') =>
    kind === 'github'
      ? new HttpAnswer(404, { message, documentation_url: docs, status: '404' })
      : new HttpAnswer(404, { errors: [message], message: "The target couldn't be found.", url: `${url}/api/swagger` });
  const forbidden = () =>
    kind === 'github'
      ? new HttpAnswer(403, { message: 'Resource not accessible by integration', documentation_url: docs, status: '403' })
      : new HttpAnswer(403, { message: 'user should be an owner or a collaborator with admin write of a repository', url: `${url}/api/swagger` });
  const unauthorized = (message: string) =>
    kind === 'github'
      ? new HttpAnswer(401, { message, documentation_url: docs, status: '401' })
      : new HttpAnswer(401, { message, url: `${url}/api/swagger` });
  const invalid = (errors: Array<Record<string, string>>) =>
    new HttpAnswer(422, { message: 'Validation Failed', errors, documentation_url: docs, status: '422' });

  function page<T>(items: T[], query: Record<string, string>): T[] {
    const size = kind === 'github' ? Math.min(Number(query.per_page ?? 30) || 30, 100) : Math.min(Number(query.limit ?? 30) || 30, 50);
    const number = Math.max(1, Number(query.page ?? 1) || 1);
    return items.slice((number - 1) * size, number * size);
  }

  // ---- the server ------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const parsed = new URL(req.url ?? '/', url);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = parsed.pathname;
    const apiPath = apiRoot && path.startsWith(apiRoot) ? path.slice(apiRoot.length) || '/' : apiRoot ? '' : path;
    const query = Object.fromEntries(parsed.searchParams);
    const header = req.headers.authorization;
    const presented = header ? /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1] : undefined;
    const auth: RecordedRequest['auth'] = !header ? 'none' : options.token === undefined || presented === options.token ? 'valid' : 'invalid';
    const ifNoneMatch = typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : undefined;
    const recorded: RecordedRequest = { method, path, apiPath, query, body, auth, ...(ifNoneMatch ? { ifNoneMatch } : {}) };
    requests.push(recorded);
    res.on('finish', () => (recorded.status = res.statusCode));

    const fault = faults.find(
      (item) =>
        item.left > 0 &&
        (!item.method || item.method.toUpperCase() === method) &&
        (!item.path || (typeof item.path === 'string' ? item.path === apiPath : item.path.test(apiPath))),
    );
    if (fault) {
      fault.left--;
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      const status = fault.status ?? 502;
      const defaultBody =
        status === 429 || status === 403
          ? { message: kind === 'github' ? 'API rate limit exceeded for installation.' : 'rate limit exceeded', documentation_url: docs }
          : status >= 500
            ? 'Bad Gateway'
            : { message: `injected ${status}` };
      send(res, new HttpAnswer(status, fault.body ?? defaultBody, fault.headers));
      return;
    }
    if (apiRoot && !path.startsWith(apiRoot)) {
      send(res, new HttpAnswer(404, 'Not Found'));
      return;
    }
    if (auth === 'invalid') {
      send(res, unauthorized(kind === 'github' ? 'Bad credentials' : 'invalid username, password or token'));
      return;
    }
    for (const handler of handlers) {
      const answer = handler({ method, apiPath, query, body, authenticated: auth === 'valid', headers: req.headers });
      if (answer) return send(res, conditional(method, ifNoneMatch, new HttpAnswer(answer.status, answer.body, answer.headers)));
    }
    send(res, conditional(method, ifNoneMatch, route(method, apiPath, query, body, auth === 'valid')));
  }

  /** With `etags`: a 200 GET carries a weak ETag of its body; the same ETag asked again is a 304 without a body. */
  function conditional(method: string, ifNoneMatch: string | undefined, answer: HttpAnswer): HttpAnswer {
    if (!options.etags || method !== 'GET' || answer.status !== 200) return answer;
    const etag = `W/"${sha(JSON.stringify(answer.body ?? ''))}"`;
    if (ifNoneMatch === etag) return new HttpAnswer(304, undefined, { etag });
    return new HttpAnswer(answer.status, answer.body, { ...answer.headers, etag });
  }

  function send(res: ServerResponse, answer: HttpAnswer): void {
    const text = typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
    const type = typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(answer.status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...answer.headers });
    res.end(text);
  }

  function route(method: string, apiPath: string, query: Record<string, string>, body: unknown, authenticated: boolean): HttpAnswer {
    if (kind === 'forgejo' && apiPath === '/version' && method === 'GET') return new HttpAnswer(200, { version: '11.0.0+gitea-1.22.0' });
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(apiPath);
    if (!match) return notFound();
    const repo = repos.get(key(`${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`));
    const rest = match[3] ?? '';
    if (!repo || ((repo.private || repo.internal) && !authenticated)) return notFound();
    const admin = authenticated && repo.admin;
    const write = method !== 'GET' && method !== 'HEAD';
    if (write && !authenticated) return unauthorized(kind === 'github' ? 'Requires authentication' : 'token is required');
    const fullName = `${repo.owner}/${repo.name}`;

    if (rest === '' && method === 'GET') return new HttpAnswer(200, repoJson(repo, admin));

    if (rest === '/pulls' && method === 'GET') {
      const state = query.state ?? 'open';
      let list = pulls.filter((pull) => key(pull.repo) === key(fullName) && (state === 'all' || pull.state === state));
      if (kind === 'github') {
        const head = query.head;
        // GitHub filters by `user:ref-name`; a head without the owner is ignored
        if (head?.includes(':')) {
          const [owner, ref] = [head.slice(0, head.indexOf(':')), head.slice(head.indexOf(':') + 1)];
          list = list.filter((pull) => key(pull.headOwner) === key(owner) && pull.head === ref);
        }
        if (query.base) list = list.filter((pull) => pull.base === query.base);
      }
      list = [...list].sort((a, b) => b.number - a.number);
      const headers: Record<string, string> = kind === 'forgejo' ? { 'x-total-count': String(list.length) } : {};
      return new HttpAnswer(200, page(list, query).map((pull) => pullJson(pull, admin)), headers);
    }

    if (rest === '/pulls' && method === 'POST') return createPull(repo, body as Record<string, unknown> | undefined, admin);

    const pullMatch = /^\/pulls\/(\d+)$/.exec(rest);
    if (pullMatch) {
      const pull = pulls.find((item) => key(item.repo) === key(fullName) && item.number === Number(pullMatch[1]));
      if (!pull) return notFound();
      if (method === 'GET') return new HttpAnswer(200, pullJson(pull, admin));
      if (method === 'PATCH') {
        const changes = (body ?? {}) as Record<string, unknown>;
        if (typeof changes.title === 'string' && changes.title) pull.title = changes.title;
        if (typeof changes.body === 'string') pull.body = changes.body;
        if (changes.state === 'open' || changes.state === 'closed') pull.state = changes.state;
        if (typeof changes.base === 'string' && changes.base) pull.base = changes.base;
        // Forgejo/Gitea answer an edit with 201 Created
        return new HttpAnswer(kind === 'github' ? 200 : 201, pullJson(pull, admin));
      }
    }

    const branchMatch = /^\/branches\/(.+)$/.exec(rest);
    if (branchMatch && method === 'GET') {
      let name = decodeURIComponent(branchMatch[1]!);
      const wantsProtection = kind === 'github' && name.endsWith('/protection') && !repo.branches.has(name);
      if (wantsProtection) name = name.slice(0, -'/protection'.length);
      if (!repo.branches.has(name)) return notFound(kind === 'github' ? 'Branch not found' : `branch does not exist [name: ${name}]`);
      const isProtected = repo.protectedBranches.has(name);
      if (wantsProtection) {
        if (!admin) return forbidden();
        if (!isProtected) {
          return new HttpAnswer(404, {
            message: 'Branch not protected',
            documentation_url: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection',
            status: '404',
          });
        }
        const protection = `${apiUrl}/repos/${fullName}/branches/${name}/protection`;
        return new HttpAnswer(200, {
          url: protection,
          required_pull_request_reviews: { url: `${protection}/required_pull_request_reviews`, required_approving_review_count: 1 },
          enforce_admins: { url: `${protection}/enforce_admins`, enabled: false },
          allow_force_pushes: { enabled: false },
          allow_deletions: { enabled: false },
        });
      }
      const commit = sha(`${fullName}/${name}`);
      if (kind === 'github') {
        return new HttpAnswer(200, {
          name,
          commit: { sha: commit, url: `${apiUrl}/repos/${fullName}/commits/${commit}` },
          protected: isProtected,
          protection: { enabled: isProtected, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
          protection_url: `${apiUrl}/repos/${fullName}/branches/${name}/protection`,
        });
      }
      return new HttpAnswer(200, {
        name,
        commit: { id: commit, message: 'commit', url: `${url}/${fullName}/commit/${commit}` },
        protected: isProtected,
        required_approvals: isProtected ? 1 : 0,
        enable_status_check: false,
        status_check_contexts: [],
        user_can_push: !isProtected,
        user_can_merge: true,
        effective_branch_protection_name: isProtected ? name : '',
      });
    }

    if (kind === 'forgejo' && rest === '/branch_protections' && method === 'GET') {
      if (!admin) return forbidden();
      return new HttpAnswer(
        200,
        [...repo.protectedBranches].map((name) => ({
          branch_name: name,
          rule_name: name,
          enable_push: false,
          enable_push_whitelist: false,
          required_approvals: 1,
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-01-01T00:00:00Z',
        })),
      );
    }

    if (rest === '/actions/runners' && method === 'GET') {
      if (!admin) return forbidden();
      const all = repo.runners.map((runner, index) => ({ id: index + 1, ...runner }));
      const shown = page(all, query);
      if (kind === 'github') {
        const builtIn = new Set(['self-hosted', 'linux', 'windows', 'macos', 'x64', 'arm64']);
        return new HttpAnswer(200, {
          total_count: all.length,
          runners: shown.map((runner) => ({
            id: runner.id,
            name: runner.name,
            os: 'linux',
            status: runner.status ?? 'online',
            busy: false,
            labels: runner.labels.map((name, index) => ({ id: index + 1, name, type: builtIn.has(name.toLowerCase()) ? 'read-only' : 'custom' })),
          })),
        });
      }
      if (options.runnersShape === 'gitea') {
        return new HttpAnswer(200, {
          total_count: all.length,
          runners: shown.map((runner) => ({
            id: runner.id,
            name: runner.name,
            status: runner.status ?? 'online',
            busy: false,
            ephemeral: false,
            labels: runner.labels.map((name, index) => ({ id: index, name, type: 'custom' })),
          })),
        });
      }
      return new HttpAnswer(
        200,
        shown.map((runner) => ({ id: runner.id, name: runner.name, status: runner.status === 'offline' ? 'offline' : 'idle', labels: runner.labels })),
        { 'x-total-count': String(all.length) },
      );
    }

    return notFound();
  }

  function createPull(repo: FakeRepo, body: Record<string, unknown> | undefined, admin: boolean): HttpAnswer {
    const input = body ?? {};
    const title = typeof input.title === 'string' ? input.title : '';
    const head = typeof input.head === 'string' ? input.head : '';
    const base = typeof input.base === 'string' ? input.base : '';
    const fullName = `${repo.owner}/${repo.name}`;
    const colon = head.indexOf(':');
    const headOwner = colon > 0 ? head.slice(0, colon) : repo.owner;
    const headBranch = colon > 0 ? head.slice(colon + 1) : head;
    const headRepo = repos.get(key(`${headOwner}/${repo.name}`));

    if (kind === 'github') {
      if (!title) return invalid([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }]);
      if (!repo.branches.has(base)) return invalid([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      if (!headRepo || !headRepo.branches.has(headBranch)) return invalid([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      if (headRepo === repo && headBranch === base) {
        return invalid([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${headBranch}` }]);
      }
    } else {
      if (!title) return new HttpAnswer(422, { message: '[Title]: Required', url: `${url}/api/swagger` });
      if (head === base) return new HttpAnswer(422, { message: 'Invalid PullRequest: There are no changes between the head and the base', url: `${url}/api/swagger` });
      if (!repo.branches.has(base) || !headRepo || !headRepo.branches.has(headBranch)) return notFound('git.ErrNotExist');
    }
    const existing = pulls.find(
      (pull) => key(pull.repo) === key(fullName) && pull.state === 'open' && key(pull.headOwner) === key(headOwner) && pull.head === headBranch && pull.base === base,
    );
    if (existing) {
      if (kind === 'github') {
        return invalid([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${headOwner}:${headBranch}.` }]);
      }
      return new HttpAnswer(409, {
        message: `pull request already exists for these targets [id: ${existing.id}, issue_id: ${existing.number}, head_repo_id: ${headRepo?.id ?? 0}, base_repo_id: ${repo.id}, head_branch: ${headBranch}, base_branch: ${base}]`,
        url: `${url}/api/swagger`,
      });
    }
    const pull = addPull(fullName, {
      head: headBranch,
      headOwner: headRepo?.owner ?? headOwner,
      base,
      title,
      body: typeof input.body === 'string' ? input.body : '',
      state: 'open',
    });
    return new HttpAnswer(201, pullJson(pull, admin));
  }

  function addPull(fullName: string, fields: Omit<FakePull, 'id' | 'number' | 'repo' | 'merged' | 'createdAt'> & { createdAt?: string }): FakePull {
    const repo = getRepo(fullName);
    const number = pulls.filter((pull) => key(pull.repo) === key(fullName)).length + 1;
    const createdAt = fields.createdAt ?? new Date(Date.UTC(2024, 0, 1, 0, pulls.length)).toISOString().replace('.000Z', 'Z');
    const pull: FakePull = { id: nextId++, number, repo: `${repo.owner}/${repo.name}`, merged: false, ...fields, createdAt };
    pulls.push(pull);
    return pull;
  }

  return {
    kind,
    url,
    apiUrl,
    requests,
    remoteUrl: (fullName) => `${url}/${fullName}.git`,
    addRepo(seed) {
      const defaultBranch = seed.defaultBranch ?? 'main';
      const repo: FakeRepo = {
        id: nextId++,
        owner: seed.owner,
        name: seed.name,
        private: seed.private ?? false,
        internal: seed.internal ?? false,
        defaultBranch,
        branches: Object.assign(new LiveBranches([defaultBranch, ...(seed.branches ?? [])]), { gitDir: seed.git }),
        protectedBranches: new Set(seed.protectedBranches ?? []),
        secretScanning: seed.secretScanning === undefined ? 'disabled' : seed.secretScanning,
        pushProtection: seed.pushProtection === undefined ? 'disabled' : seed.pushProtection,
        fork: seed.fork ?? false,
        archived: seed.archived ?? false,
        admin: seed.admin ?? true,
        runners: [...(seed.runners ?? [])],
      };
      for (const branch of repo.protectedBranches) repo.branches.add(branch);
      repos.set(key(`${seed.owner}/${seed.name}`), repo);
      return repo;
    },
    repo: getRepo,
    addPullRequest(fullName, pull) {
      const repo = getRepo(fullName);
      const colon = pull.head.indexOf(':');
      return addPull(fullName, {
        head: colon > 0 ? pull.head.slice(colon + 1) : pull.head,
        headOwner: colon > 0 ? pull.head.slice(0, colon) : repo.owner,
        base: pull.base ?? repo.defaultBranch,
        title: pull.title ?? 'A pull request',
        body: pull.body ?? '',
        state: pull.state ?? 'open',
        ...(pull.createdAt ? { createdAt: pull.createdAt } : {}),
      });
    },
    pulls: (fullName) => pulls.filter((pull) => key(pull.repo) === key(fullName)).sort((a, b) => a.number - b.number),
    fail(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    resetLog() {
      requests.length = 0;
    },
    use(handler) {
      handlers.push(handler);
    },
    close() {
      // idempotent, so an afterEach may close what a test already closed
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
