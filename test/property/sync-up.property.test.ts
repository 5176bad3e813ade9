import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkoutSnapshot, syncWorld } from '../helpers/sync-world.js';
import { awsAccessKeyId, slackBotToken } from '../helpers/tokens.js';

/** One commit of a random private history. */
type Op =
  | { kind: 'public'; file: number }
  | { kind: 'private'; file: number }
  | { kind: 'local'; file: number }
  | { kind: 'mixed'; file: number; other: number }
  | { kind: 'secret' }
  | { kind: 'secret-message'; file: number }
  | { kind: 'delete'; file: number }
  | { kind: 'binary'; file: number; private: boolean }
  | { kind: 'to-private'; file: number }
  | { kind: 'to-public'; file: number };

const file = fc.integer({ min: 0, max: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('public' as const), file }),
  fc.record({ kind: fc.constant('private' as const), file }),
  fc.record({ kind: fc.constant('local' as const), file }),
  fc.record({ kind: fc.constant('mixed' as const), file, other: file }),
  fc.record({ kind: fc.constant('secret' as const) }),
  fc.record({ kind: fc.constant('secret-message' as const), file }),
  fc.record({ kind: fc.constant('delete' as const), file }),
  fc.record({ kind: fc.constant('binary' as const), file, private: fc.boolean() }),
  fc.record({ kind: fc.constant('to-private' as const), file }),
  fc.record({ kind: fc.constant('to-public' as const), file }),
);

/** The id git gives a blob with this content. */
const blobId = (content: string | Buffer) => {
  const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
};

describe('sync-up over random private histories (property)', () => {
  it('publishes every public change and nothing private or secret, and never touches the checkout', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 10 }), (ops) => {
        const world = syncWorld();
        const repo = world.repo;
        const exists = (path: string) => repo.tryGit('cat-file', '-e', `HEAD:${path}`).code === 0;
        /** the public state upstream should end in: path → blob id */
        const treeOf = (git: (...args: string[]) => string, rev: string) =>
          new Map(git('ls-tree', '-r', '-z', rev).split('\0').filter(Boolean).map((line) => [line.slice(line.indexOf('\t') + 1), line.split(' ')[2]!.split('\t')[0]!]));
        const expected = treeOf((...args) => repo.git(...args), 'refs/remotes/upstream/main');
        const secrets: string[] = [];
        let serial = 0;
        for (const step of ops) {
          const n = serial++;
          switch (step.kind) {
            case 'public':
              repo.write(`src/f${step.file}.txt`, `public ${n}\n`).commit(`Public ${n}`);
              expected.set(`src/f${step.file}.txt`, blobId(`public ${n}\n`));
              break;
            case 'private':
              repo.write(`private/p${step.file}.md`, `private ${n}\n`).commit(`Private ${n}`);
              break;
            case 'local':
              repo.write(`config/c${step.file}.local.json`, `{"n": ${n}}\n`).commit(`Local ${n}`);
              break;
            case 'mixed':
              repo.write(`src/f${step.file}.txt`, `mixed ${n}\n`).write(`private/p${step.other}.md`, `mixed private ${n}\n`).commit(`Mixed ${n}`);
              expected.set(`src/f${step.file}.txt`, blobId(`mixed ${n}\n`));
              break;
            case 'secret': {
              const key = awsAccessKeyId();
              secrets.push(key);
              repo.write(`secrets/s${n}.txt`, `aws_access_key_id = ${key}\n`).commit(`Secret ${n}`);
              break;
            }
            case 'secret-message': {
              const token = slackBotToken();
              secrets.push(token);
              repo.write(`notes/m${n}.txt`, `note ${n}\n`).commit(`Notify ${n}\n\nwith ${token}`);
              break;
            }
            case 'delete':
              if (!exists(`src/f${step.file}.txt`)) continue;
              repo.remove(`src/f${step.file}.txt`).commit(`Delete ${n}`);
              expected.delete(`src/f${step.file}.txt`);
              break;
            case 'binary': {
              const path = step.private ? `private/b${step.file}.bin` : `assets/b${step.file}.bin`;
              repo.write(path, Buffer.from([0, 1, 2, n % 256, 0, 255])).commit(`Binary ${n}`);
              if (!step.private) expected.set(path, blobId(Buffer.from([0, 1, 2, n % 256, 0, 255])));
              break;
            }
            case 'to-private':
              if (!exists(`src/f${step.file}.txt`)) continue;
              repo.move(`src/f${step.file}.txt`, `private/moved${n}.txt`).commit(`Make private ${n}`);
              expected.delete(`src/f${step.file}.txt`);
              break;
            case 'to-public':
              if (!exists(`private/p${step.file}.md`)) continue;
              repo.move(`private/p${step.file}.md`, `docs/leaked${n}.md`).commit(`Publish private ${n}`);
              break;
          }
        }
        const before = checkoutSnapshot(world);
        const run = repo.mirror(['sync-up', '--no-pr', '--json']);
        expect(run.code, run.stderr + run.stdout).toBe(0);
        expect(checkoutSnapshot(world)).toBe(before);

        const published = repo.git('ls-remote', world.upstream, 'refs/heads/mirror/sync-up').split('\t')[0];
        const upstreamGit = (...args: string[]) => world.sandbox.git(world.upstream, args);
        const tip = published || upstreamGit('rev-parse', 'main');
        // every public change present, nothing else
        const sorted = (m: Map<string, string>) => [...m.entries()].sort();
        expect(sorted(treeOf(upstreamGit, tip))).toEqual(sorted(expected));
        // no object under a private zone, in any commit that reached upstream
        const paths = upstreamGit('log', '--all', '--raw', '--no-renames', '--format=', '-z').split('\0').filter((token) => token && !token.startsWith(':'));
        expect(paths.filter((path) => path.startsWith('private/') || /\.local\./.test(path))).toEqual([]);
        // no secret anywhere upstream: contents, messages
        const everything = upstreamGit('log', '--all', '-p', '--format=%B');
        for (const secret of secrets) expect(everything).not.toContain(secret);
      }),
      { numRuns: 10, seed: 20261121, endOnFailure: true },
    );
  }, 300_000);
});
