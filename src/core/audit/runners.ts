import { literalsIn, wholeExpression } from './expressions.js';
import { get, str, type YNode } from './yaml-tree.js';

/**
 * What a `runs-on` says, split in two: **placement** (which runners the job targets
 * today: `self-hosted`, a host name, a pool, a runner group) and **needs** (a
 * capability only some runners have: an accelerator, an architecture, an operating
 * system, licensed tooling). Placement alone never makes a job local-only: a job that
 * only names the team's runner can move to another lane. Needs do.
 */
export type LabelRole = 'hosted' | 'placement' | 'capability';

export interface LabelRule {
  label: string;
  role: LabelRole;
  /** which rule decided, e.g. `policy lanes.hardwareLabels` or `built-in: names an accelerator` */
  rule: string;
}

/** Labels the policy declares (`lanes.hardwareLabels`, `lanes.placementLabels`), compared case-insensitively. */
export interface LabelDeclarations {
  hardwareLabels?: readonly string[];
  placementLabels?: readonly string[];
}

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

/** Labels every self-hosted Linux x64 runner gets: any external Linux lane has them too. */
const GENERIC_PLATFORM = /^(linux|x64|x86|x86_64|amd64)$/;

/** Word-level capability names: the first matching group names the capability. */
const CAPABILITIES: { what: string; token: RegExp }[] = [
  { what: 'an accelerator', token: /^(\d*x?gpus?\d*|cuda[\d.]*|nvidia|rocm|amd-?gpu|a100|a10g?|h100|h200|b200|v100|l4|l40s?|t4|tpu(v\d+)?|npu|fpga|jetson)$/ },
  { what: 'particular hardware', token: /^(hsm|rpi\d*|raspberry(pi)?|bare-?metal|metal|hw|bench|benchmarks?|kvm)$/ },
  { what: 'an architecture', token: /^(arm|arm64|aarch64|armv7l?|riscv64|ppc64le|s390x)$/ },
  { what: 'an operating system', token: /^(macos|osx|darwin|windows|win|freebsd)$/ },
  { what: 'licensed tooling', token: /^(licensed?|matlab|vivado|quartus|xcode)$/ },
];

/** How one label is read; the policy's declarations win over the built-in words. */
export function ruleForLabel(label: string, declared: LabelDeclarations = {}): LabelRule {
  const lower = label.trim().toLowerCase();
  const has = (list: readonly string[] | undefined) => (list ?? []).some((item) => item.trim().toLowerCase() === lower);
  if (has(declared.hardwareLabels)) return { label, role: 'capability', rule: 'policy lanes.hardwareLabels' };
  if (has(declared.placementLabels)) return { label, role: 'placement', rule: 'policy lanes.placementLabels' };
  if (lower === 'self-hosted') return { label, role: 'placement', rule: 'built-in: self-hosted names where the job runs, not what it needs' };
  if (HOSTED.some((pattern) => pattern.test(lower))) return { label, role: 'hosted', rule: 'built-in: a stock hosted-runner label' };
  if (GENERIC_PLATFORM.test(lower)) return { label, role: 'placement', rule: 'built-in: a default label of every Linux x64 runner' };
  const tokens = lower.split(/[-_.:/\s]+/);
  for (const { what, token } of CAPABILITIES) {
    if (tokens.some((part) => token.test(part)) || (what === 'an accelerator' && lower.includes('gpu'))) return { label, role: 'capability', rule: `built-in: names ${what}` };
  }
  return { label, role: 'placement', rule: 'built-in: names a host or pool (no capability word)' };
}

export type RunnerVerdict =
  | { type: 'hosted'; labels: string[]; rules: LabelRule[] }
  /** names particular runners, but nothing they have that another lane lacks */
  | { type: 'placed'; message: string; rules: LabelRule[]; group?: string }
  /** needs a capability: local-only whatever lane the job would move to */
  | { type: 'capability'; message: string; rules: LabelRule[] }
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
 * alternative that needs a capability makes the job local-only.
 */
export function classifyRunsOn(runsOn: YNode | undefined, strategy: YNode | undefined, declared: LabelDeclarations = {}): RunnerVerdict {
  if (runsOn === undefined || (runsOn.kind === 'scalar' && runsOn.value === null)) return { type: 'missing' };
  const resolved = resolveChoices(runsOn, get(strategy, 'matrix'));
  if ('unknown' in resolved) return { type: 'unknown', message: resolved.unknown };
  const choices = resolved.choices;
  const verdicts = choices.map((choice) => classifyChoice(choice, declared));
  const rules = uniqueRules(verdicts.flatMap((verdict) => ('rules' in verdict ? verdict.rules : [])));
  const some = (count: number) => (choices.length > 1 && count < choices.length ? ` (${count} of its ${choices.length} alternatives)` : '');
  const needing = verdicts.filter((verdict) => verdict.type === 'capability');
  if (needing.length > 0) return { type: 'capability', rules, message: (needing[0] as { message: string }).message + some(needing.length) };
  const placed = verdicts.filter((verdict): verdict is Extract<RunnerVerdict, { type: 'placed' }> => verdict.type === 'placed');
  if (placed.length > 0) return { ...placed[0]!, rules, message: placed[0]!.message + some(placed.length) };
  return { type: 'hosted', labels: unique(choices.flatMap((choice) => choice.labels)), rules };
}

function classifyChoice(choice: RunnerChoice, declared: LabelDeclarations): RunnerVerdict {
  const labels = unique(choice.labels);
  const rules = labels.map((label) => ruleForLabel(label, declared));
  const list = `[${labels.join(', ')}]`;
  const capability = rules.filter((rule) => rule.role === 'capability');
  if (capability.length > 0) {
    const byRule = new Map<string, string[]>();
    for (const rule of capability) byRule.set(rule.rule, [...(byRule.get(rule.rule) ?? []), quote(rule.label)]);
    const named = [...byRule].map(([rule, names]) => `${names.join(', ')} (${rule.replace(/^built-in: /, '')})`).join(', ');
    return { type: 'capability', rules, message: `runs on ${choice.group !== undefined ? `runner group ${quote(choice.group)} ` : ''}${list}, needing what only particular runners have: ${named}` };
  }
  if (choice.group !== undefined) return { type: 'placed', rules, group: choice.group, message: `runs in runner group ${quote(choice.group)}${labels.length ? ` ${list}` : ''} today` };
  if (rules.some((rule) => rule.role === 'placement')) return { type: 'placed', rules, message: `runs on ${list} today` };
  return { type: 'hosted', labels, rules };
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

function uniqueRules(rules: LabelRule[]): LabelRule[] {
  const seen = new Map<string, LabelRule>();
  for (const rule of rules) if (!seen.has(rule.label.toLowerCase())) seen.set(rule.label.toLowerCase(), rule);
  return [...seen.values()];
}

function quote(text: string): string {
  return `"${text}"`;
}
