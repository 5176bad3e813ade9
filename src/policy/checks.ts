import type { AllowlistSpec, RuleSpec } from '../core/detect/types.js';
import { canonicalUrl, isUrlEntry } from '../core/remotes.js';
import type { ErrorDetail } from '../errors.js';
import { fieldName } from './fields.js';
import { globProblem } from './globs.js';
import type { ParsedPolicy } from './parse.js';
import { catastrophicBacktracking, groupCount, regexProblem, type RegexUse } from './regexes.js';
import type { PolicyLayer, ZoneSpec } from './types.js';

type Path = (string | number)[];

/**
 * What the schema cannot say: globs and regexes that do not compile, regexes that
 * can hang, duplicate ids. `backtracking` is off for the shipped default, whose
 * regexes are checked by the test suite instead of on every policy change.
 */
export async function checkLayer(
  parsed: ParsedPolicy,
  layer: PolicyLayer,
  options: { backtracking: boolean },
): Promise<ErrorDetail[]> {
  const errors: ErrorDetail[] = [];
  const regexes: { path: Path; use: RegexUse }[] = [];
  const fail = (path: Path, message: string) =>
    errors.push({ file: parsed.source.file, ...parsed.locate(path), field: fieldName(path), message });

  const glob = (path: Path, value: string) => {
    const problem = globProblem(value);
    if (problem) fail(path, `invalid glob "${value}": ${problem}`);
  };
  const regex = (path: Path, source: string, use: Omit<RegexUse, 'source'> = {}) => {
    const problem = regexProblem(source);
    if (problem) fail(path, problem);
    else regexes.push({ path, use: { source, ...use } });
  };
  const allowlist = (path: Path, spec: AllowlistSpec | undefined) => {
    spec?.paths?.forEach((value, i) => glob([...path, 'paths', i], value));
    spec?.regexes?.forEach((value, i) => regex([...path, 'regexes', i], value));
  };
  const zones = (path: Path, list: ZoneSpec[] | undefined) => {
    duplicates(list?.map((zone) => zone.name), (i, name) => fail([...path, i, 'name'], `zone "${name}" is defined twice`));
    list?.forEach((zone, i) => {
      zone.include.forEach((value, j) => glob([...path, i, 'include', j], value));
      zone.exclude?.forEach((value, j) => glob([...path, i, 'exclude', j], value));
    });
  };
  const rules = (path: Path, list: RuleSpec[] | undefined) => {
    duplicates(list?.map((rule) => rule.id), (i, id) => fail([...path, i, 'id'], `rule "${id}" is defined twice`));
    list?.forEach((rule, i) => {
      if (rule.regex !== undefined) {
        const before = errors.length;
        regex([...path, i, 'regex'], rule.regex, { flags: rule.ignoreCase ? 'i' : '', wholeText: true });
        if (errors.length === before && rule.secretGroup !== undefined && rule.secretGroup > groupCount(rule.regex)) {
          fail([...path, i, 'secretGroup'], `the regex has only ${groupCount(rule.regex)} capture group(s)`);
        }
      }
      allowlist([...path, i, 'allowlist'], rule.allowlist);
    });
  };

  if (Array.isArray(layer.zones)) zones(['zones'], layer.zones);
  else zones(['zones', 'add'], layer.zones?.add);

  if (Array.isArray(layer.rules)) rules(['rules'], layer.rules);
  else rules(['rules', 'add'], layer.rules?.add);

  const list = layer.allowlist;
  if (list && ('add' in list || 'remove' in list)) {
    allowlist(['allowlist', 'add'], list.add);
  } else {
    allowlist(['allowlist'], list as AllowlistSpec | undefined);
  }

  for (const side of ['private', 'public'] as const) {
    layer.remotes?.[side]?.forEach((entry, i) => {
      if (isUrlEntry(entry)) glob(['remotes', side, i], canonicalUrl(entry));
    });
  }
  layer.sync?.holdMessages?.forEach((source, i) => regex(['sync', 'holdMessages', i], source, { flags: 'm' }));
  const hold = layer.sync?.hold;
  if (Array.isArray(hold)) hold.forEach((value, i) => glob(['sync', 'hold', i], value));
  else hold?.add?.forEach((value, i) => glob(['sync', 'hold', 'add', i], value));
  layer.sync?.allowWorkflows?.forEach((value, i) => glob(['sync', 'allowWorkflows', i], value));

  if (options.backtracking) {
    const verdicts = await catastrophicBacktracking(regexes.map((entry) => entry.use));
    verdicts.forEach((verdict, i) => {
      if (verdict.problem) fail(regexes[i]!.path, `this regex ${verdict.problem}`);
    });
  }
  return errors;
}

function duplicates(values: string[] | undefined, report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values?.forEach((value, i) => {
    if (seen.has(value)) report(i, value);
    seen.add(value);
  });
}
