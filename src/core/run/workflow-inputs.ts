import { parse } from 'yaml';
import type { DeclaredInput, InputProblem, InputType } from './types.js';

const TYPES = new Set<InputType>(['string', 'boolean', 'number', 'choice', 'environment']);
/** GitHub refuses a dispatch with more than this many inputs. */
export const MAX_DISPATCH_INPUTS = 25;

export interface WorkflowDispatchInfo {
  /** false when the workflow has no `workflow_dispatch` trigger */
  dispatchable: boolean;
  inputs: DeclaredInput[];
  runName?: string;
  problems: InputProblem[];
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

/** The `on.workflow_dispatch.inputs` of a workflow file's text. */
export function dispatchInfo(text: string): WorkflowDispatchInfo {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { dispatchable: false, inputs: [], problems: [{ field: 'workflow', message: `does not parse: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!doc || typeof doc !== 'object') return { dispatchable: false, inputs: [], problems: [{ field: 'workflow', message: 'is not a mapping' }] };
  const record = doc as Record<string, unknown>;
  // YAML 1.1 readers turn a bare `on` key into true; the yaml package (1.2) keeps "on"
  const on = record.on ?? record.true;
  const runName = typeof record['run-name'] === 'string' ? (record['run-name'] as string) : undefined;
  let trigger: unknown;
  let dispatchable = false;
  if (on === 'workflow_dispatch') dispatchable = true;
  else if (Array.isArray(on)) dispatchable = on.includes('workflow_dispatch');
  else if (on && typeof on === 'object' && 'workflow_dispatch' in (on as object)) {
    dispatchable = true;
    trigger = (on as Record<string, unknown>).workflow_dispatch;
  }
  const inputs: DeclaredInput[] = [];
  const problems: InputProblem[] = [];
  const raw = trigger && typeof trigger === 'object' ? (trigger as Record<string, unknown>).inputs : undefined;
  if (raw && typeof raw === 'object') {
    for (const [name, spec] of Object.entries(raw as Record<string, unknown>)) {
      const fields = (spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
      const type = (asText(fields.type) ?? 'string') as InputType;
      if (!TYPES.has(type)) problems.push({ field: name, message: `has an unknown type "${type}" in the workflow` });
      inputs.push({
        name,
        type: TYPES.has(type) ? type : 'string',
        required: fields.required === true,
        default: asText(fields.default),
        options: Array.isArray(fields.options) ? fields.options.map((option) => asText(option) ?? '') : [],
        ...(typeof fields.description === 'string' ? { description: fields.description } : {}),
      });
    }
  }
  return { dispatchable, inputs, ...(runName !== undefined ? { runName } : {}), problems };
}

/** `key=value` pairs from `-f` flags; a key given twice is a usage error, not a silent overwrite. */
export function parseInputPairs(pairs: readonly string[]): { inputs: Record<string, string>; problems: InputProblem[] } {
  const inputs: Record<string, string> = {};
  const problems: InputProblem[] = [];
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      problems.push({ field: pair, message: 'is not key=value' });
      continue;
    }
    const key = pair.slice(0, equals).trim();
    if (key in inputs) problems.push({ field: key, message: 'is given twice' });
    inputs[key] = pair.slice(equals + 1);
  }
  return { inputs, problems };
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Checks what a caller gives against what the workflow declares, before anything
 * is dispatched: unknown names, missing required inputs, a choice outside its
 * options, a boolean or number that is not one. Values travel as strings.
 */
export function validateInputs(declared: readonly DeclaredInput[], given: Readonly<Record<string, string>>): InputProblem[] {
  const problems: InputProblem[] = [];
  const byName = new Map(declared.map((input) => [input.name, input]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const known = declared.map((input) => input.name).join(', ') || 'none';
      problems.push({ field: name, message: `is not an input of this workflow (inputs: ${known})` });
    }
  }
  for (const input of declared) {
    const value = given[input.name];
    if (value === undefined) {
      if (input.required && (input.default === undefined || input.default === '')) problems.push({ field: input.name, message: 'is required and has no default' });
      continue;
    }
    if (input.type === 'boolean' && value !== 'true' && value !== 'false') problems.push({ field: input.name, message: `must be true or false, not "${value}"` });
    if (input.type === 'number' && !NUMBER.test(value.trim())) problems.push({ field: input.name, message: `must be a number, not "${value}"` });
    if (input.type === 'choice' && !input.options.includes(value)) problems.push({ field: input.name, message: `must be one of ${input.options.join(', ')}, not "${value}"` });
    if (input.required && value === '') problems.push({ field: input.name, message: 'is required and may not be empty' });
  }
  if (Object.keys(given).length > MAX_DISPATCH_INPUTS) problems.push({ field: 'workflow', message: `a dispatch takes at most ${MAX_DISPATCH_INPUTS} inputs` });
  return problems;
}

/** The input the template's `run-name` carries so a dispatched run can be found again. */
export const CORRELATION_INPUT = 'correlation_id';

/** Whether the workflow lets mirror find its runs by correlation id: the input exists and `run-name` shows it. */
export function correlates(info: WorkflowDispatchInfo): boolean {
  return info.inputs.some((input) => input.name === CORRELATION_INPUT) && /inputs\.correlation_id/.test(info.runName ?? '');
}
