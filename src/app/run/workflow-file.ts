import type { ForgeKind } from '../../adapters/forge/index.js';
import type { Repository } from '../../adapters/git/repository.js';
import { ExitCode, MirrorError } from '../../errors.js';

const DIRECTORIES: Record<ForgeKind, string[]> = {
  github: ['.github/workflows'],
  // Forgejo reads .forgejo/workflows first, then .gitea, then .github
  forgejo: ['.forgejo/workflows', '.gitea/workflows', '.github/workflows'],
};

export interface WorkflowFile {
  /** what the dispatch endpoint takes: the file name */
  id: string;
  path: string;
  /** the revision it was read at */
  revision: string;
  text: string;
}

/**
 * The workflow as the forge will run it: read with git at the remote's copy of
 * the ref (`refs/remotes/REMOTE/REF`), else at REF itself (a tag, a commit).
 */
export async function readWorkflowFile(repo: Repository, kind: ForgeKind, remote: string, ref: string, workflow: string): Promise<WorkflowFile> {
  const name = workflow.includes('/') ? workflow : /\.ya?ml$/.test(workflow) ? workflow : `${workflow}.yml`;
  const paths = name.includes('/') ? [name.replace(/^\.\//, '')] : DIRECTORIES[kind].map((dir) => `${dir}/${name}`);
  const revisions = [`refs/remotes/${remote}/${ref}`, `refs/tags/${ref}`, ref];
  let revision: string | undefined;
  for (const candidate of revisions) {
    if (await repo.commitOf(candidate)) {
      revision = candidate;
      break;
    }
  }
  if (!revision) {
    throw new MirrorError('run-unknown-ref', `${ref} is not known here as ${remote}/${ref}, a tag or a commit`, {
      exitCode: ExitCode.usage,
      suggestions: [`run \`git fetch ${remote}\` first, or pass --ref`],
    });
  }
  for (const path of paths) {
    const result = await repo.git(['cat-file', 'blob', `${revision}:${path}`], { okCodes: [128] });
    if (result.code === 0) return { id: path.slice(path.lastIndexOf('/') + 1), path, revision, text: result.stdout.toString('utf8') };
  }
  throw new MirrorError('run-no-workflow', `no workflow ${name} at ${revision} (looked at ${paths.join(', ')})`, {
    exitCode: ExitCode.usage,
    suggestions: ['the workflow must be pushed to the ref it runs on (GitHub: and to the default branch)', `run \`git fetch ${remote}\` if it was pushed from elsewhere`],
  });
}
