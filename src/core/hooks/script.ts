export type HookName = 'pre-push' | 'pre-commit';

export const HOOK_MARKER = '# mirror-hook v1';
/** where an existing hook is kept and called from ours */
export const CHAINED_SUFFIX = '.pre-mirror';

const GUARD: Record<HookName, string> = { 'pre-push': 'guard pre-push "$@"', 'pre-commit': 'guard staged' };

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The installed hook stays tiny: it hands git's stdin to a chained hook (if one
 * was there before), then to mirror. If mirror cannot be found it refuses: a
 * guard that silently disappears is a guard that fails open.
 */
export function hookScript(hook: HookName, runtime: { node: string; bin: string }): string {
  const stdin = hook === 'pre-push';
  return [
    '#!/bin/sh',
    `${HOOK_MARKER}: ${hook}. Installed by \`mirror hook install\`; removed by \`mirror hook uninstall\`.`,
    `node=${quote(runtime.node)}`,
    `mirror=${quote(runtime.bin)}`,
    stdin ? 'input=$(cat)' : '',
    `chained="$0${CHAINED_SUFFIX}"`,
    stdin
      ? `if [ -x "$chained" ]; then printf '%s\\n' "$input" | "$chained" "$@" || exit $?; fi`
      : `if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi`,
    'if [ -x "$node" ] && [ -f "$mirror" ]; then set -- "$node" "$mirror" ' + GUARD[hook],
    'elif command -v mirror >/dev/null 2>&1; then set -- mirror ' + GUARD[hook],
    `else echo "mirror: cannot find mirror ($mirror), so this ${hook === 'pre-push' ? 'push' : 'commit'} is refused. Reinstall with: mirror hook install" >&2; exit 1; fi`,
    stdin ? `printf '%s\\n' "$input" | "$@"` : '"$@"',
    '',
  ]
    .filter((line, i) => line !== '' || i > 0)
    .join('\n');
}

export function isMirrorHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}
