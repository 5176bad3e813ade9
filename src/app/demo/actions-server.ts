/**
 * The demo's stand-in for a forge's Actions API: a tiny GitHub-shaped server
 * (private repository, dispatch answering with the run, runs that advance each
 * time they are read, a results artifact behind a redirect to a separate storage
 * port that refuses tokens). `mirror demo` starts it as a child process, because
 * the demo's own steps block while each command runs. Run as a script:
 *   node actions-server.js PORT_FILE
 * writes `http://127.0.0.1:PORT` to PORT_FILE once listening.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';

interface DemoRun {
  id: number;
  inputs: Record<string, string>;
  reads: number;
  zip: Uint8Array;
}

/** The "experiment": a made-up score that peaks at a learning rate of 0.01, so compare has something to show. */
export function demoMetrics(inputs: Record<string, string>): { accuracy: number; loss: number } {
  const rate = Number(/--lr\s+([\d.e-]+)/.exec(inputs.parameters ?? '')?.[1] ?? '0.1');
  const distance = Math.abs(Math.log10(rate > 0 ? rate : 0.1) + 2);
  const accuracy = Math.round((0.95 - 0.1 * distance) * 1000) / 1000;
  return { accuracy, loss: Math.round((1 - accuracy) * 1000) / 1000 };
}

export async function startDemoActionsServer(): Promise<{ url: string; close: () => void }> {
  const runs = new Map<number, DemoRun>();
  let next = 4100;
  const storage = createServer((req, res) => {
    const id = Number(/\/blob\/(\d+)/.exec(req.url ?? '')?.[1]);
    const run = runs.get(id);
    if (req.headers.authorization || !run) {
      res.writeHead(req.headers.authorization ? 400 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': run.zip.length }).end(Buffer.from(run.zip));
  });
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
  const storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;

  const api = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = `http://${req.headers.host}`;
      const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        const text = body === undefined ? '' : JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600), ...headers }).end(text);
      };
      if (!req.headers.authorization) return send(404, { message: 'Not Found' });
      const path = new URL(req.url ?? '/', url).pathname;
      const repo = /^\/repos\/demo\/widget-mirror(\/.*)?$/.exec(path);
      if (!repo) return send(404, { message: 'Not Found' });
      const rest = repo[1] ?? '';
      if (rest === '') return send(200, { name: 'widget-mirror', owner: { login: 'demo' }, html_url: `${url}/demo/widget-mirror`, private: true, visibility: 'private', default_branch: 'main', archived: false, fork: false });
      if (req.method === 'POST' && /^\/actions\/workflows\/[^/]+\/dispatches$/.test(rest)) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { inputs?: Record<string, string> };
        const id = next++;
        const inputs = body.inputs ?? {};
        const zip = zipSync({ 'metrics.json': strToU8(`${JSON.stringify(demoMetrics(inputs))}\n`), 'summary.txt': strToU8(`run ${inputs.run_name} on ${inputs.dataset} with: ${inputs.parameters}\n`) });
        runs.set(id, { id, inputs, reads: 0, zip });
        return send(200, { workflow_run_id: id, run_url: `${url}/repos/demo/widget-mirror/actions/runs/${id}`, html_url: `${url}/demo/widget-mirror/actions/runs/${id}` });
      }
      const one = /^\/actions\/runs\/(\d+)(\/jobs|\/artifacts)?$/.exec(rest);
      const run = one ? runs.get(Number(one[1])) : undefined;
      if (one && run) {
        const status = run.reads < 1 ? 'queued' : run.reads < 3 ? 'in_progress' : 'completed';
        const done = status === 'completed';
        if (!one[2]) {
          run.reads++;
          return send(200, {
            id: run.id,
            display_title: `experiment ${run.inputs.run_name} on ${run.inputs.dataset} [${run.inputs.correlation_id ?? ''}]`,
            status,
            conclusion: done ? 'success' : null,
            path: '.github/workflows/experiment.yml',
            event: 'workflow_dispatch',
            url: `${url}/repos/demo/widget-mirror/actions/runs/${run.id}`,
            html_url: `${url}/demo/widget-mirror/actions/runs/${run.id}`,
            created_at: '2026-03-01T10:00:00Z',
            run_started_at: '2026-03-01T10:00:05Z',
            updated_at: done ? '2026-03-01T10:03:05Z' : '2026-03-01T10:00:05Z',
          });
        }
        if (one[2] === '/jobs') {
          const steps = ['Set up job', 'Run the experiment', 'Upload the results'].map((name, index) => ({
            number: index + 1,
            name,
            status: done || (status === 'in_progress' && index === 0) ? 'completed' : status === 'in_progress' && index === 1 ? 'in_progress' : 'queued',
            conclusion: done || (status === 'in_progress' && index === 0) ? 'success' : null,
          }));
          return send(200, { total_count: 1, jobs: [{ id: run.id * 10, name: 'experiment', status, conclusion: done ? 'success' : null, labels: ['self-hosted', 'gpu'], runner_name: status === 'queued' ? null : 'gpu-box', steps: status === 'queued' ? [] : steps }] });
        }
        const digest = `sha256:${createHash('sha256').update(run.zip).digest('hex')}`;
        const name = `experiment-${run.inputs.run_name}-${run.id}`;
        return send(200, { total_count: done ? 1 : 0, artifacts: done ? [{ id: run.id, name, size_in_bytes: run.zip.length, expired: false, digest }] : [] });
      }
      const zip = /^\/actions\/artifacts\/(\d+)\/zip$/.exec(rest);
      if (zip && runs.has(Number(zip[1]))) return send(302, undefined, { location: `${storageUrl}/blob/${zip[1]}?sig=demo` });
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    close: () => {
      api.close();
      storage.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startDemoActionsServer();
  writeFileSync(process.argv[2]!, server.url);
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
}
