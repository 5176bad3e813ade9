import type { SignalKind } from './types.js';

/**
 * Steps that change something outside the repository (publish, deploy, push), log in
 * somewhere, or join a private network: from the commands of `run:` scripts and the
 * actions of `uses:`. Heuristics, tuned to name the evidence; `--dry-run` and
 * snapshot builds do not count.
 */
export interface StepFinding {
  kind: SignalKind;
  /** what it does, e.g. "publishes a package" */
  what: string;
  /** the evidence, e.g. "npm publish" or "docker/login-action" */
  evidence: string;
}

interface CommandPattern {
  kind: SignalKind;
  what: string;
  pattern: RegExp;
  /** the match does not count when this matches the same command */
  unless?: RegExp;
  /** the evidence is the matched text alone (an address, a path), not the command from there on */
  token?: boolean;
}

const DRY_RUN = /--dry-?run\b/;
const GIT_DRY_RUN = /--dry-run\b|\s-n(\s|$)/;
/** a command's options before its verb: `kubectl -n prod apply` */
// (each option splits one way only, `-{1,2}\w`, so a failing match cannot backtrack exponentially)
const OPTS = String.raw`(?:\s+-{1,2}\w[\w.-]*(?:=\S*|\s+[^\s-]\S*)?)*?`;

// `(?<![\w./-])` = at the start of a word that is not part of a path or option
const W = String.raw`(?<![\w./-])`;
const cmd = (source: string) => new RegExp(W + source, 'i');

const COMMANDS: CommandPattern[] = [
  // packages
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`(?:npm|pnpm|yarn|bun)\b[^;&|\n]*?(?<![\w-])publish(?![\w-])`), unless: DRY_RUN },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`(?:changeset|lerna)\s+publish\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'publishes a release', pattern: cmd(String.raw`semantic-release\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`twine\s+upload\b`) },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`(?:poetry|flit|hatch|uv|pdm)\s+publish\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`maturin\s+(?:publish|upload)\b`) },
  { kind: 'mutation', what: 'publishes a crate', pattern: cmd(String.raw`cargo\s+(?:\+\S+\s+)?publish\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'publishes a gem', pattern: cmd(String.raw`gem\s+push\b`) },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`(?:deno|jsr)\s+publish\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'deploys artifacts', pattern: cmd(String.raw`(?:mvn|mvnw|\./mvnw)\b[^;&|\n]*\bdeploy\b`) },
  { kind: 'mutation', what: 'publishes artifacts', pattern: cmd(String.raw`(?:gradle|gradlew|\./gradlew)\b[^;&|\n]*\bpublish(?!ToMavenLocal)\w*`) },
  { kind: 'mutation', what: 'publishes a package', pattern: cmd(String.raw`(?:dotnet\s+)?nuget\s+push\b`) },
  { kind: 'mutation', what: 'publishes an extension', pattern: cmd(String.raw`(?:vsce|ovsx)\s+publish\b`) },
  { kind: 'mutation', what: 'publishes a pod', pattern: cmd(String.raw`pod\s+trunk\s+push\b`) },
  { kind: 'mutation', what: 'publishes a release', pattern: cmd(String.raw`goreleaser\b(?:\s+release\b|\s*$|\s+--)`), unless: /--snapshot\b|--skip[= ]publish\b/ },
  // images and charts
  { kind: 'mutation', what: 'pushes an image', pattern: cmd(String.raw`(?:docker|podman|buildah)\s+(?:image\s+|manifest\s+)?push\b`) },
  { kind: 'mutation', what: 'pushes an image', pattern: cmd(String.raw`(?:docker\s+(?:buildx\s+)?build|docker\s+buildx\s+bake)\b[^;&|\n]*--push\b`) },
  { kind: 'mutation', what: 'pushes an image', pattern: cmd(String.raw`(?:skopeo\s+copy|crane\s+(?:push|copy|cp)|ko\s+(?:build|publish|apply))\b`), unless: /--local\b|--push=false/ },
  { kind: 'mutation', what: 'pushes a chart', pattern: cmd(String.raw`helm\s+push\b`) },
  { kind: 'credentials', what: 'logs in to a registry', pattern: cmd(String.raw`(?:docker|podman|buildah|helm\s+registry|oras|crane\s+auth)\s+login\b`) },
  // releases and the forge
  { kind: 'mutation', what: 'creates or changes a release', pattern: cmd(String.raw`gh\s+release\s+(?:create|upload|edit|delete)\b`) },
  { kind: 'mutation', what: 'changes pull requests or issues', pattern: cmd(String.raw`gh\s+(?:pr\s+(?:create|merge|comment|review|edit|close|ready)|issue\s+(?:create|comment|edit|close|delete))\b`) },
  { kind: 'mutation', what: 'changes the repository settings', pattern: cmd(String.raw`gh\s+(?:secret|variable)\s+(?:set|delete)\b`) },
  { kind: 'mutation', what: 'starts a workflow', pattern: cmd(String.raw`gh\s+workflow\s+run\b`) },
  { kind: 'mutation', what: 'calls the API to change something', pattern: cmd(String.raw`gh\s+api\b[^;&|\n]*(?:-X|--method)[\s=]*(?:POST|PUT|PATCH|DELETE)\b`) },
  { kind: 'mutation', what: 'pushes commits', pattern: cmd(String.raw`git${OPTS}\s+push\b`), unless: GIT_DRY_RUN },
  // deployments
  { kind: 'mutation', what: 'deploys to Kubernetes', pattern: cmd(String.raw`kubectl${OPTS}\s+(?:apply|create|delete|replace|patch|rollout|set|scale|edit|annotate|label)\b`), unless: /--dry-run/ },
  { kind: 'mutation', what: 'deploys to Kubernetes', pattern: cmd(String.raw`helm${OPTS}\s+(?:install|upgrade|uninstall|rollback|delete)\b`), unless: DRY_RUN },
  { kind: 'mutation', what: 'changes infrastructure', pattern: cmd(String.raw`(?:terraform|tofu|terragrunt)\s+(?:-chdir=\S+\s+)?(?:apply|destroy|import|run-all\s+apply)\b`) },
  { kind: 'mutation', what: 'changes infrastructure', pattern: cmd(String.raw`pulumi\s+(?:up|destroy|refresh|import)\b`) },
  { kind: 'mutation', what: 'changes infrastructure', pattern: cmd(String.raw`(?:cdk|sam|serverless|sls)\s+deploy\b`) },
  { kind: 'mutation', what: 'configures remote machines', pattern: cmd(String.raw`ansible-playbook\b`), unless: /--check\b|--syntax-check\b/ },
  { kind: 'mutation', what: 'deploys a site or app', pattern: cmd(String.raw`(?:firebase|netlify|fly|flyctl|railway|cf)\s+(?:deploy|push|up)\b`) },
  { kind: 'mutation', what: 'deploys a site or app', pattern: cmd(String.raw`vercel\b[^;&|\n]*(?:--prod\b|\bdeploy\b)`) },
  { kind: 'mutation', what: 'deploys a site or app', pattern: cmd(String.raw`wrangler\s+(?:deploy|publish|pages\s+deploy|pages\s+publish)\b`) },
  { kind: 'mutation', what: 'deploys a site or app', pattern: cmd(String.raw`heroku\s+(?:container:release|releases:rollback|config:set|apps:create)\b`) },
  // cloud CLIs: only the verbs that change things (reading needs credentials, which show elsewhere)
  { kind: 'mutation', what: 'changes cloud storage', pattern: cmd(String.raw`aws\s+s3\s+(?:cp|sync|mv)\b[^;&|\n]*\s\S+\s+s3://`) },
  { kind: 'mutation', what: 'changes cloud storage', pattern: cmd(String.raw`aws\s+s3\s+(?:rm|mb|rb)\b`) },
  { kind: 'mutation', what: 'changes cloud resources', pattern: cmd(String.raw`aws${OPTS}\s+(?!s3\s)[\w-]+\s+(?:deploy|(?:create|put|update|delete|start|stop|terminate|run|invoke|register|deregister|attach|detach|modify|publish|upload|tag|untag|set|associate|disassociate|import|restore|reboot|send|enable|disable|execute|cancel|add|remove|replace|reset|rotate)-[\w-]+)\b`) },
  { kind: 'mutation', what: 'changes cloud resources', pattern: cmd(String.raw`gcloud\b[^;&|\n]*\s(?:deploy|create|delete|update|apply|patch|submit|set-iam-policy|add-iam-policy-binding|remove-iam-policy-binding|import|resize|start|stop|rollback)\b`) },
  { kind: 'mutation', what: 'changes cloud storage', pattern: cmd(String.raw`(?:gsutil(?:\s+-m)?|gcloud\s+storage)\s+(?:cp|rsync|mv)\b[^;&|\n]*\sgs://\S*\s*$`) },
  { kind: 'mutation', what: 'changes cloud storage', pattern: cmd(String.raw`(?:gsutil(?:\s+-m)?|gcloud\s+storage)\s+(?:rm|rb|mb)\b`) },
  { kind: 'mutation', what: 'changes cloud resources', pattern: cmd(String.raw`az\s+(?!account\s)(?:[a-z][\w-]*\s+){0,4}?(?:create|delete|update|set|deploy|up|start|stop|restart|upload|upload-batch|import|push|swap|assign)\b`) },
  // other machines
  { kind: 'mutation', what: 'copies files to a remote host', pattern: cmd(String.raw`(?:scp|sftp)\s`) },
  { kind: 'mutation', what: 'copies files to a remote host', pattern: cmd(String.raw`rsync\b[^;&|\n]*\s(?:[\w.-]+@)?[\w.-]+:\S*`) },
  { kind: 'mutation', what: 'runs commands on a remote host', pattern: cmd(String.raw`ssh\s[^\n]*?[\w.-]+@[\w.-]+`) },
  { kind: 'mutation', what: 'uploads a file', pattern: cmd(String.raw`curl\b[^;&|\n]*(?:\s-T\s|\s--upload-file\b)`) },
  { kind: 'network', what: 'joins a private network', pattern: cmd(String.raw`(?:tailscale\s+up|wg-quick\s+up|openvpn\s|netbird\s+up|zerotier-cli\s+join)\b`) },
  // what only the host has: its Docker daemon, its disks, its private network
  { kind: 'host', what: "uses the host's Docker socket", pattern: /\/var\/run\/docker\.sock|\bDOCKER_HOST=(?:unix|tcp):\/\/\S*/i, token: true },
  { kind: 'host', what: 'uses host paths outside the workspace', pattern: /(?<![\w.$}-])\/(?:srv|mnt|nfs|data|shared?|scratch)\/[\w./-]*/, token: true },
  {
    kind: 'network',
    what: 'reaches a private address',
    token: true,
    pattern: /(?<![\w.])(?:10\.\d{1,3}\.\d{1,3}\.\d{1,3}|192\.168\.\d{1,3}\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3})(?![\w.])|(?<![\w.-])[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:internal|intranet|corp|lan|home\.arpa)(?![\w.-])/i,
  },
];

/** The commands of a `run:` script that change something outside the repository. */
export function scanScript(script: string): StepFinding[] {
  const findings: StepFinding[] = [];
  const seen = new Set<string>();
  for (const line of logicalLines(script)) {
    // commands are short; a pathological line is cut rather than matched slowly
    for (const command of line.slice(0, 4000).split(/\s*(?:&&|\|\||;|\|)\s*/)) {
      // words being printed are not commands being run
      if (/^(?:echo|printf|:)(?:\s|$)/.test(command)) continue;
      for (const { kind, what, pattern, unless, token } of COMMANDS) {
        const match = pattern.exec(command);
        if (!match || unless?.test(command)) continue;
        const evidence = shorten(token ? match[0] : command.slice(match.index));
        const key = `${what}\0${evidence}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ kind, what, evidence });
      }
    }
  }
  return findings;
}

/** Joins backslash continuations and drops comment lines and trailing comments. */
function logicalLines(script: string): string[] {
  return script
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

function shorten(command: string): string {
  const words = command.trim().split(/\s+/);
  let text = '';
  for (const word of words) {
    if (text.length + word.length > 48) return `${text} …`;
    text = text ? `${text} ${word}` : word;
  }
  return text;
}

interface ActionRule {
  kind: SignalKind;
  what: string;
  /** owner/repo (and path), lower case */
  action: string;
  /** counts only when this input is set to something other than false */
  whenInput?: string;
}

const ACTIONS: ActionRule[] = [
  { kind: 'mutation', what: 'deploys GitHub Pages', action: 'actions/deploy-pages' },
  { kind: 'mutation', what: 'deploys GitHub Pages', action: 'peaceiris/actions-gh-pages' },
  { kind: 'mutation', what: 'deploys GitHub Pages', action: 'jamesives/github-pages-deploy-action' },
  { kind: 'mutation', what: 'creates a release', action: 'softprops/action-gh-release' },
  { kind: 'mutation', what: 'creates a release', action: 'ncipollo/release-action' },
  { kind: 'mutation', what: 'creates a release', action: 'actions/create-release' },
  { kind: 'mutation', what: 'uploads release assets', action: 'actions/upload-release-asset' },
  { kind: 'mutation', what: 'uploads release assets', action: 'svenstaro/upload-release-action' },
  { kind: 'mutation', what: 'creates a release', action: 'marvinpinto/action-automatic-releases' },
  { kind: 'mutation', what: 'creates releases and release pull requests', action: 'googleapis/release-please-action' },
  { kind: 'mutation', what: 'creates releases and release pull requests', action: 'google-github-actions/release-please-action' },
  { kind: 'mutation', what: 'publishes packages or opens a release pull request', action: 'changesets/action' },
  { kind: 'mutation', what: 'publishes to PyPI', action: 'pypa/gh-action-pypi-publish' },
  { kind: 'mutation', what: 'pushes an image', action: 'docker/build-push-action', whenInput: 'push' },
  { kind: 'mutation', what: 'pushes an image', action: 'docker/bake-action', whenInput: 'push' },
  { kind: 'mutation', what: 'pushes an image', action: 'redhat-actions/push-to-registry' },
  { kind: 'mutation', what: 'deploys to Amazon ECS', action: 'aws-actions/amazon-ecs-deploy-task-definition' },
  { kind: 'mutation', what: 'deploys to Cloud Run', action: 'google-github-actions/deploy-cloudrun' },
  { kind: 'mutation', what: 'deploys to App Engine', action: 'google-github-actions/deploy-appengine' },
  { kind: 'mutation', what: 'deploys Cloud Functions', action: 'google-github-actions/deploy-cloud-functions' },
  { kind: 'mutation', what: 'uploads to Cloud Storage', action: 'google-github-actions/upload-cloud-storage' },
  { kind: 'mutation', what: 'deploys to Azure', action: 'azure/webapps-deploy' },
  { kind: 'mutation', what: 'deploys to Azure', action: 'azure/k8s-deploy' },
  { kind: 'mutation', what: 'deploys to Azure', action: 'azure/arm-deploy' },
  { kind: 'mutation', what: 'deploys to Azure', action: 'azure/functions-action' },
  { kind: 'mutation', what: 'deploys to Azure', action: 'azure/static-web-apps-deploy' },
  { kind: 'mutation', what: 'deploys to Cloudflare', action: 'cloudflare/wrangler-action' },
  { kind: 'mutation', what: 'deploys to Cloudflare', action: 'cloudflare/pages-action' },
  { kind: 'mutation', what: 'deploys to Vercel', action: 'amondnet/vercel-action' },
  { kind: 'mutation', what: 'deploys to Netlify', action: 'netlify/actions' },
  { kind: 'mutation', what: 'deploys to Netlify', action: 'nwtgck/actions-netlify' },
  { kind: 'mutation', what: 'deploys to Firebase', action: 'firebaseextended/action-hosting-deploy' },
  { kind: 'mutation', what: 'deploys to Fly.io', action: 'superfly/flyctl-actions' },
  { kind: 'mutation', what: 'runs commands on a remote host', action: 'appleboy/ssh-action' },
  { kind: 'mutation', what: 'copies files to a remote host', action: 'appleboy/scp-action' },
  { kind: 'mutation', what: 'copies files to a remote host', action: 'easingthemes/ssh-deploy' },
  { kind: 'mutation', what: 'copies files to a remote host', action: 'burnett01/rsync-deployments' },
  { kind: 'mutation', what: 'pushes commits', action: 'stefanzweifel/git-auto-commit-action' },
  { kind: 'mutation', what: 'pushes commits', action: 'ad-m/github-push-action' },
  { kind: 'mutation', what: 'pushes commits', action: 'endbug/add-and-commit' },
  { kind: 'mutation', what: 'opens pull requests', action: 'peter-evans/create-pull-request' },
  { kind: 'credentials', what: 'logs in to a container registry', action: 'docker/login-action' },
  { kind: 'credentials', what: 'logs in to a container registry', action: 'redhat-actions/podman-login' },
  { kind: 'credentials', what: 'obtains AWS credentials', action: 'aws-actions/configure-aws-credentials' },
  { kind: 'credentials', what: 'logs in to Amazon ECR', action: 'aws-actions/amazon-ecr-login' },
  { kind: 'credentials', what: 'obtains Google Cloud credentials', action: 'google-github-actions/auth' },
  { kind: 'credentials', what: 'obtains Azure credentials', action: 'azure/login' },
  { kind: 'credentials', what: 'reads Azure Key Vault secrets', action: 'azure/get-keyvault-secrets' },
  { kind: 'credentials', what: 'reads secrets from Vault', action: 'hashicorp/vault-action' },
  { kind: 'credentials', what: 'reads secrets from 1Password', action: '1password/load-secrets-action' },
  { kind: 'credentials', what: 'reads secrets from Bitwarden', action: 'bitwarden/sm-action' },
  { kind: 'network', what: 'joins a private network (Tailscale)', action: 'tailscale/github-action' },
];

/** `owner/repo/path@ref` → `owner/repo/path`, lower case; undefined for local and docker actions. */
export function actionName(uses: string): string | undefined {
  const trimmed = uses.trim();
  if (trimmed.startsWith('./') || trimmed.startsWith('docker://')) return undefined;
  // Forgejo and Gitea accept full URLs: https://code.forgejo.org/actions/checkout@v4
  return trimmed.replace(/^https?:\/\/[^/]+\//i, '').replace(/@.*$/, '').toLowerCase();
}

/** What a `uses:` action does that matters, given its `with:` inputs. */
export function scanAction(uses: string, inputs: Record<string, string>): StepFinding[] {
  const name = actionName(uses);
  if (name === undefined) return [];
  const findings: StepFinding[] = [];
  for (const rule of ACTIONS) {
    if (name !== rule.action && !name.startsWith(`${rule.action}/`)) continue;
    let evidence = rule.action;
    if (rule.whenInput) {
      const value = inputs[rule.whenInput];
      if (value === undefined || /^\s*false\s*$/i.test(value)) continue;
      evidence = `${rule.action} with ${rule.whenInput}: ${value.trim()}`;
    }
    findings.push({ kind: rule.kind, what: rule.what, evidence });
  }
  return findings;
}

/**
 * Steps that only prepare (check out, set up a toolchain, cache, pass artifacts):
 * they go wherever the work goes, so they do not make a job worth splitting.
 */
export function isSetupAction(uses: string): boolean {
  const name = actionName(uses);
  if (name === undefined) return false;
  if (/^actions\/(checkout|cache|download-artifact|upload-artifact)(\/|$)/.test(name)) return true;
  const repo = name.split('/')[1] ?? '';
  return /setup|toolchain|install/.test(repo);
}

/** A checkout or fetch of a pull request's own code (the head), in a step. */
export function checksOutPullRequestHead(uses: string | undefined, inputs: Record<string, string>, script: string | undefined): string | undefined {
  const head = /github\.event\.pull_request\.head\.|github\.head_ref|github\.event\.workflow_run\.head_|refs\/pull\/|\.merge_commit_sha/i;
  if (uses !== undefined && actionName(uses)?.startsWith('actions/checkout')) {
    for (const key of ['ref', 'repository']) {
      const value = inputs[key];
      if (value !== undefined && head.test(value)) return `actions/checkout with ${key}: ${value.trim()}`;
    }
  }
  if (script !== undefined) {
    const match = /(gh\s+pr\s+checkout\b[^\n]*|git\s+(?:fetch|checkout)\b[^\n]*(?:pull\/|refs\/pull\/|\$\{\{\s*github\.(?:event\.pull_request\.head|head_ref)[^\n]*))/i.exec(script);
    if (match) return shorten(match[1]!);
  }
  return undefined;
}

/**
 * Contexts an outsider writes (titles, bodies, branch names, commit messages): spliced
 * into a `run:` script by `${{ }}`, they are code. GitHub's security hardening guide
 * lists these; actionlint, zizmor and octoscan flag the same.
 */
const UNTRUSTED_CONTEXT =
  /github\s*\.\s*(?:event\s*\.\s*(?:(?:issue|pull_request|discussion)\s*\.\s*(?:title|body)|(?:comment|review|review_comment)\s*\.\s*body|pages\b[^}]*\.page_name|(?:commits\b[^}]*|head_commit)\.\s*(?:message|author\s*\.\s*(?:email|name))|pull_request\s*\.\s*head\s*\.\s*(?:ref|label|repo\s*\.\s*default_branch)|workflow_run\s*\.\s*(?:head_branch|display_title|head_commit\s*\.\s*(?:message|author\s*\.\s*(?:email|name))))|head_ref)\b/i;

/** The `${{ }}` expressions of a script that splice in text an outsider controls. */
export function untrustedExpressions(script: string): string[] {
  const found: string[] = [];
  for (const match of script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const body = match[1]!;
    if (UNTRUSTED_CONTEXT.test(body)) found.push(`\${{${body}}}`.replace(/\s+/g, ' '));
  }
  return [...new Set(found)];
}

/**
 * Repository scripts a `run:` calls (`./scripts/deploy.sh`, `bash ci/x.sh`,
 * `python tools/y.py`), relative to the root, so the app can read them and the
 * classifier can look inside: a step is what its script does.
 */
export function scriptPathsIn(script: string): string[] {
  const paths = new Set<string>();
  for (const line of logicalLines(script)) {
    for (const command of line.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
      const match = /^(?:(?:sudo\s+)?(?:bash|sh|zsh|python3?|node|pwsh|ruby|perl)\s+)?(\.\/|\.\.\/)?((?:[\w.-]+\/)*[\w.-]+\.(?:sh|bash|py|js|mjs|ps1|rb|pl))(?:\s|$)/.exec(command);
      if (!match) continue;
      if (match[1] === undefined && !/^(?:sudo\s+)?(?:bash|sh|zsh|python3?|node|pwsh|ruby|perl)\s/.test(command)) continue;
      const path = (match[1] === '../' ? '../' : '') + match[2]!;
      if (!path.startsWith('../')) paths.add(path);
    }
  }
  return [...paths];
}
