import type { HookResult } from '../app/hooks/install.js';

export function renderHooks(result: { directory: string; hooks: HookResult[] }): string {
  const lines = [`hooks directory: ${result.directory}`];
  for (const hook of result.hooks) {
    lines.push(`  ${hook.hook}: ${hook.status}${hook.chained ? ` (chains ${hook.chained})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
