import { literalsIn, wholeExpression } from './expressions.js';
import { get, str, type YNode } from './yaml-tree.js';

/**
 * What a `runs-on` says about trust. Generic hosted labels say nothing (a GitHub
 * hosted image, Forgejo's `docker`); `self-hosted`, a runner group, or any other
 * label names particular machines, so the job needs them.
 */
export type LabelKind = 'hosted' | 'self-hosted' | 'hardware' | 'self-hosted-os' | 'custom';

const HOSTED: RegExp[] = [
  // GitHub-hosted images (standard and larger macOS sizes, arm variants)
  /^ubuntu-(latest|slim|\d{2}\.\d{2})(-arm)?$/,
  /^windows-(latest|\d{4}|11-arm)$/,
  /^macos-(latest|\d{2})(-(large|xlarge|intel|arm64))?$/,
  // Forgejo / Gitea runners' stock labels, Codeberg's shared runners
  /^docker$/,
  /^node-?(\d+|lts|latest)$/,
  /^codeberg-(tiny|small|medium|large|xlarge)(-lazy)?$/,
];

/** Labels a self-hosted GitHub runner gets automatically: no hosted runner has them. */
const SELF_HOSTED_OS = /^(linux|windows|macos|x64|x86|x86_64|amd64|arm|arm64|aarch64)$/;

const HARDWARE_TOKEN =
  /^(\d*x?gpus?\d*|cuda[\d.]*|nvidia|rocm|amd-?gpu|a100|a10g?|h100|h200|b200|v100|l4|l40s?|t4|tpu(v\d+)?|fpga|hsm|lab|bench|benchmarks?|jetson|rpi\d*|raspberry(pi)?|bare-?metal|metal|hw)$/;

export function classifyLabel(label: string): LabelKind {
  const lower = label.trim().toLowerCase();
  if (lower === 'self-hosted') return 'self-hosted';
  if (HOSTED.some((pattern) => pattern.test(lower))) return 'hosted';
  if (lower.includes('gpu') || lower.split(/[-_.:/\s]+/).some((token) => HARDWARE_TOKEN.test(token))) return 'hardware';
  if (SELF_HOSTED_OS.test(lower)) return 'self-hosted-os';
  return 'custom';
}

export type RunnerVerdict =
  | { type: 'hosted'; labels: string[] }
  | { type: 'local'; message: string; hardware: boolean }
  | { type: 'unknown'; message: string }
  | { type: 'missing' };

/** One alternative of runs-on: its labels, or a runner group. */
interface RunnerChoice {
  labels: string[];
  group?: string;
}

/**
 * Resolves `runs-on` against the job's matrix where it can (`${{ matrix.os }}`), or
 * the literals of an expression (`cond && 'self-hosted' || 'ubuntu-latest'`): any
 * alternative that needs particular runners makes the job local-only.
 */
export function classifyRunsOn(runsOn: YNode | undefined, strategy: YNode | undefined): RunnerVerdict {
  if (runsOn === undefined || (runsOn.kind === 'scalar' && runsOn.value === null)) return { type: 'missing' };
  const resolved = resolveChoices(runsOn, get(strategy, 'matrix'));
  if ('unknown' in resolved) return { type: 'unknown', message: resolved.unknown };
  const choices = resolved.choices;
  const verdicts = choices.map(classifyChoice);
  const local = verdicts.filter((verdict): verdict is Extract<RunnerVerdict, { type: 'local' }> => verdict.type === 'local');
  if (local.length === 0) return { type: 'hosted', labels: unique(choices.flatMap((choice) => choice.labels)) };
  const worst = local.find((verdict) => verdict.hardware) ?? local[0]!;
  const some = choices.length > 1 && local.length < choices.length ? ` (${local.length} of its ${choices.length} alternatives)` : '';
  return { ...worst, message: worst.message + some };
}

function classifyChoice(choice: RunnerChoice): RunnerVerdict {
  if (choice.group !== undefined) return { type: 'local', hardware: false, message: `runs in runner group ${quote(choice.group)}` };
  const labels = unique(choice.labels);
  const kinds = new Map(labels.map((label) => [label, classifyLabel(label)]));
  const named = labels.filter((label) => kinds.get(label) !== 'hosted');
  if (named.length === 0) return { type: 'hosted', labels };
  const list = `[${labels.join(', ')}]`;
  const hardware = named.filter((label) => kinds.get(label) === 'hardware');
  if (hardware.length > 0) {
    return { type: 'local', hardware: true, message: `runs on hardware-specific runners ${list}: ${hardware.map(quote).join(', ')} name${hardware.length > 1 ? '' : 's'} particular machines` };
  }
  if (named.some((label) => kinds.get(label) === 'self-hosted')) return { type: 'local', hardware: false, message: `runs on self-hosted runners ${list}` };
  const custom = named.filter((label) => kinds.get(label) === 'custom');
  if (custom.length > 0) {
    return { type: 'local', hardware: false, message: `runs on custom runner label${custom.length > 1 ? 's' : ''} ${custom.map(quote).join(', ')}, which only this organisation's runners have` };
  }
  return { type: 'local', hardware: false, message: `runs on ${list}: ${named.map(quote).join(', ')} only match${named.length > 1 ? '' : 'es'} self-hosted runners` };
}

function resolveChoices(node: YNode, matrix: YNode | undefined): { choices: RunnerChoice[] } | { unknown: string } {
  switch (node.kind) {
    case 'scalar': {
      const text = String(node.value);
      if (!text.includes('${{')) return { choices: [{ labels: [text] }] };
      const expression = wholeExpression(text);
      if (expression === undefined) return { unknown: `runs-on ${quote(text)} is computed at run time: the runner cannot be known from the file` };
      const matrixKey = /^matrix\.([A-Za-z_][\w-]*)$/i.exec(expression)?.[1];
      if (matrixKey !== undefined) {
        const values = matrixValues(matrix, matrixKey);
        if (values === undefined || values.length === 0) {
          return { unknown: `runs-on ${quote(text)} comes from a matrix that is computed at run time: the runner cannot be known from the file` };
        }
        const choices: RunnerChoice[] = [];
        for (const value of values) {
          const inner = resolveChoices(value, undefined);
          if ('unknown' in inner) return inner;
          choices.push(...inner.choices);
        }
        return { choices };
      }
      const literals = literalsIn(expression).filter((literal) => literal.trim() !== '');
      if (literals.length === 0) return { unknown: `runs-on ${quote(text)} is computed at run time: the runner cannot be known from the file` };
      return { choices: literals.map((literal) => ({ labels: [literal] })) };
    }
    case 'seq': {
      const labels: string[] = [];
      for (const item of node.items) {
        const label = str(item);
        if (label === undefined) continue;
        if (label.includes('${{')) {
          const inner = resolveChoices(item, matrix);
          if ('unknown' in inner) return inner;
          labels.push(...inner.choices.flatMap((choice) => choice.labels));
        } else labels.push(label);
      }
      return { choices: [{ labels }] };
    }
    case 'map': {
      const group = str(get(node, 'group'));
      const labelsNode = get(node, 'labels');
      const labels = labelsNode === undefined ? { choices: [{ labels: [] as string[] }] } : resolveChoices(labelsNode, matrix);
      if ('unknown' in labels) return labels;
      return { choices: labels.choices.map((choice) => ({ ...choice, ...(group !== undefined ? { group } : {}) })) };
    }
  }
}

/** The values a matrix key takes: its list and the `include` entries that set it. */
function matrixValues(matrix: YNode | undefined, key: string): YNode[] | undefined {
  if (matrix?.kind !== 'map') return undefined;
  const values: YNode[] = [];
  const direct = get(matrix, key);
  if (direct?.kind === 'seq') values.push(...direct.items);
  else if (direct !== undefined) {
    if (direct.kind === 'scalar' && String(direct.value).includes('${{')) return undefined;
    values.push(direct);
  }
  const include = get(matrix, 'include');
  if (include?.kind === 'seq') {
    for (const entry of include.items) {
      const value = get(entry, key);
      if (value !== undefined) values.push(value);
    }
  } else if (include !== undefined) return undefined;
  return values;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function quote(text: string): string {
  return `"${text}"`;
}
