import type { ErrorDetail } from '../errors.js';
import { checkLayer } from './checks.js';
import { compilePolicy } from './compile.js';
import type { CompiledPolicy } from './compiled.js';
import { applyLayer, baseFromDefault } from './merge.js';
import { parsePolicy } from './parse.js';
import { checkSchema } from './schema.js';
import type { EffectivePolicy, PolicyLayer, PolicySource } from './types.js';

export type Resolution =
  | { ok: true; effective: EffectivePolicy; compiled: CompiledPolicy }
  | { ok: false; errors: ErrorDetail[] };

/**
 * raw text → validated layers (errors as data, with file, line and field) →
 * effective policy → compiled policy. Nothing here throws for a bad policy.
 */
export async function resolvePolicy(defaults: PolicySource, repository?: PolicySource): Promise<Resolution> {
  const base = await validateLayer(defaults, { backtracking: false });
  if (!base.ok) return base;
  let effective = baseFromDefault(base.layer);
  if (repository) {
    const layer = await validateLayer(repository, { backtracking: true });
    if (!layer.ok) return layer;
    const applied = applyLayer(effective, layer.layer, layer.parsed);
    if (applied.errors.length > 0) return { ok: false, errors: applied.errors };
    effective = applied.policy;
  }
  return { ok: true, effective, compiled: compilePolicy(effective) };
}

async function validateLayer(source: PolicySource, options: { backtracking: boolean }) {
  const result = parsePolicy(source);
  if (!result.ok) return { ok: false as const, errors: result.errors };
  const schemaErrors = checkSchema(result.parsed);
  if (schemaErrors.length > 0) return { ok: false as const, errors: schemaErrors };
  const layer = result.parsed.data as PolicyLayer;
  const errors = await checkLayer(result.parsed, layer, options);
  if (errors.length > 0) return { ok: false as const, errors };
  return { ok: true as const, layer, parsed: result.parsed };
}
