#!/usr/bin/env bash
# The hook of this checkout against the hook of an earlier commit, in interleaved pairs.
#
#   bash bench/hook-vs-build.sh COMMIT [PAIRS]     e.g. bash bench/hook-vs-build.sh 6a7b56e 40
#
# Why pairs: on a shared VM the speed drifts by up to 2x between minutes, so two
# hyperfine blocks run one after the other compare two moments as much as two
# builds. Here every round runs the old build then the new one on the same push, and
# the figures are each build's mean and median wall and CPU time over the rounds.
#
# Needs the hook-small case's clone (bash bench/run.sh hook-small builds it). The
# earlier commit is built in bench/.work/builds/<commit> (git worktree, npm ci,
# npm run build); the checkout's build is snapshotted like run.sh does. Each build
# pushes from its own copy of the clone: the compiled policy is cached in the clone's
# .git/mirror/, and two builds sharing one would recompile it on every run (the slow
# path the cache exists to avoid). Each runs once before the rounds, to fill its cache.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COMMIT="${1:?usage: hook-vs-build.sh COMMIT [PAIRS]}"
PAIRS="${2:-40}"
CASE_DIR="$WORK/hook-small"
[[ -d "$CASE_DIR/clone" && -f "$CASE_DIR/pre-push.stdin" ]] || die "no hook-small clone: run bash bench/run.sh hook-small first"
command -v /usr/bin/time >/dev/null || die "needs GNU time (/usr/bin/time; apt-get install time)"

sha="$(git -C "$REPO_ROOT" rev-parse --short=12 "$COMMIT^{commit}")"
old="$WORK/builds/$sha"
if [[ ! -f "$old/bin/run.js" || ! -d "$old/dist" ]]; then
  log "building $sha in $old"
  rm -rf "$old"
  git -C "$REPO_ROOT" worktree prune
  git -C "$REPO_ROOT" worktree add -q --detach "$old" "$sha"
  (cd "$old" && npm ci --no-audit --no-fund >/dev/null && npm run build >/dev/null)
fi
[[ -f "$REPO_ROOT/dist/pre-push-hook.bundle.js" || -f "$REPO_ROOT/dist/entry/pre-push-hook.js" ]] || die "build this checkout first (npm run build)"
new_js="$(mirror_snapshot "$WORK/builds/current")"
old_js="$old/bin/run.js"

url="$CASE_DIR/remote.git"
times="$WORK/builds/pairs.txt"
: >"$times"
stdin="$CASE_DIR/pre-push.stdin"
for which in old new; do
  rm -rf "$WORK/builds/clone-$which"
  cp -a "$CASE_DIR/clone" "$WORK/builds/clone-$which"
done
run_hook() { # which: old|new, then an optional command prefix (/usr/bin/time ...)
  local js="$old_js"; [[ $1 == new ]] && js="$new_js"
  (cd "$WORK/builds/clone-$1" && "${@:2}" "$NODE_BIN" "$js" guard pre-push origin "$url" <"$stdin" >/dev/null 2>&1)
}
for which in old new; do run_hook "$which"; done
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < PAIRS; i++)); do
  for which in old new; do
    run_hook "$which" /usr/bin/time -f "$which %e %U %S" -a -o "$times"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

summary() {
  awk -v who="$1" '$1 == who { w[++n] = $2 * 1000; c[n] = ($3 + $4) * 1000; sw += w[n]; sc += c[n] }
    function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { printf "%.0f %.0f %.0f %.0f\n", sw / n, median(w, n), sc / n, median(c, n) }' "$times"
}
read -r ow_mean ow_med oc_mean oc_med < <(summary old)
read -r nw_mean nw_med nc_mean nc_med < <(summary new)
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f %%", (b - a) / a * 100 }'; }
echo "hook-small push, $PAIRS interleaved pairs, load $load_before -> $load_after"
printf '| build | wall mean | wall median | CPU mean | CPU median |\n|---|---:|---:|---:|---:|\n'
printf '| %s (%s) | %s ms | %s ms | %s ms | %s ms |\n' "$sha" old "$ow_mean" "$ow_med" "$oc_mean" "$oc_med"
printf '| this checkout | %s ms | %s ms | %s ms | %s ms |\n' "$nw_mean" "$nw_med" "$nc_mean" "$nc_med"
echo "change: wall $(pct "$ow_mean" "$nw_mean") (median $(pct "$ow_med" "$nw_med")), CPU $(pct "$oc_mean" "$nc_mean") (median $(pct "$oc_med" "$nc_med"))"
