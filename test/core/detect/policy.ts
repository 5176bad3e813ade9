import { createDetector, type Detector } from '../../../src/core/detect/index.js';
import type { CompiledRule, DetectionConfig } from '../../../src/core/detect/types.js';
import { readDefaultPolicy } from '../../../src/policy/load.js';
import { resolvePolicy } from '../../../src/policy/resolve.js';

let cached: Promise<DetectionConfig> | undefined;

/** The shipped default policy's detection config, compiled once per test file. */
export function defaultDetection(): Promise<DetectionConfig> {
  cached ??= resolvePolicy(readDefaultPolicy()).then((result) => {
    if (!result.ok) throw new Error(`the default policy is invalid: ${JSON.stringify(result.errors, null, 2)}`);
    return result.compiled.detection;
  });
  return cached;
}

export async function defaultDetector(): Promise<Detector> {
  return createDetector(await defaultDetection());
}

export function ruleById(config: DetectionConfig, id: string): CompiledRule {
  const rule = config.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

/** The secret a rule's regex captures in `text`, and where; undefined when it does not match. */
export function capture(rule: CompiledRule, text: string): { secret: string; index: number } | undefined {
  if (!rule.pattern) return undefined;
  const re = new RegExp(rule.pattern.source, rule.pattern.flags.replace(/[gmdy]/g, '') + 'md');
  const m = re.exec(text);
  if (!m) return undefined;
  const secret = m[rule.secretGroup];
  const span = m.indices?.[rule.secretGroup];
  if (secret === undefined || !span) return undefined;
  return { secret, index: span[0] };
}
