# shellcheck shell=bash
# Shared helpers for the benchmark scripts (sourced, never run).
#
# Everything large, downloaded or generated lives under bench/.work/ (gitignored);
# only the scripts, the pinned inputs (corpus list, peers' lock file) and
# bench/results.md are committed.

set -euo pipefail
# Same modes for every file we write, whatever the caller's umask: the corpus's
# tree (and so its commit ids) must not depend on it.
umask 022

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
WORK="${BENCH_WORK:-$BENCH_DIR/.work}"
# The corpora (see corpus.sh): a name (npm pack's tarball prefix, used as a file
# name) for each npm package whose releases make a history. The main one:
CORPUS_PKG=@mui/material                  # the project whose releases make the corpus (see corpus.sh)
CORPUS_NAME=mui-material                  # the same as a file name (npm pack's tarball prefix)
CORPUS_DIR="$WORK/corpus/$CORPUS_NAME"    # the built history (non-bare, HEAD checked out)
CORPUS_FACTS="$WORK/corpus/$CORPUS_NAME.facts" # key=value lines written by corpus.sh
# Every corpus: name -> package. types-node: developer-sized commits (hook-small).
# express is not an npm history but express's own git history (the fleet case):
# see corpus.sh, git_corpus.
declare -A CORPUS_PKGS=([mui-material]=@mui/material [types-node]=@types/node [express]=expressjs/express)
corpus_dir() { echo "$WORK/corpus/$1"; }
corpus_facts() { echo "$WORK/corpus/$1.facts"; }
PEERS_DIR="$WORK/peers"                   # npm prefix for secretlint
RESULTS_DIR="$WORK/results"               # hyperfine JSON, per-case markdown fragments
LOGS_DIR="$WORK/logs"                     # one log per tool invocation (findings, errors)
NODE_BIN="$(command -v node)"
# run.sh points this at a snapshot of the built package (mirror_snapshot);
# a case run on its own uses the checkout's bin/run.js.
MIRROR_JS="${MIRROR_JS:-$REPO_ROOT/bin/run.js}"
SECRETLINT="$PEERS_DIR/node_modules/.bin/secretlint"
SECRETLINTRC="$BENCH_DIR/peers/secretlintrc.json"

mkdir -p "$WORK" "$RESULTS_DIR" "$LOGS_DIR"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with fractions, for "how long did this step take".
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# git with no user or system configuration: the corpus and the scratch clones
# must behave the same on every machine (no autocrlf, hooks, templates, signing).
hgit() { GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git "$@"; }

# --- mirror availability -----------------------------------------------------
# The CLI is written concurrently; until `npm run build` produces a working
# bin/run.js, the harness still runs the floors and peers and marks mirror's
# rows "not available" instead of failing.
mirror_available() {
  [[ -f "$MIRROR_JS" ]] && "$NODE_BIN" "$MIRROR_JS" --version >/dev/null 2>&1
}
# mirror_snapshot DIR: copy the built package (the files package.json publishes,
# plus package.json, with node_modules linked) to DIR and print DIR/bin/run.js.
# Why: other work in the same checkout may run `npm run build` (rm -rf dist)
# while the benchmark runs; a crashed mirror exits 1, like "violations found".
# Timing a copy keeps the whole run on one build.
mirror_snapshot() {
  local dir="$1" f
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$REPO_ROOT/package.json" "$dir/"
  while IFS= read -r f; do
    [[ -e "$REPO_ROOT/$f" ]] && cp -R "$REPO_ROOT/$f" "$dir/"
  done < <(node -e 'for (const f of require(process.argv[1]).files ?? []) console.log(f)' "$REPO_ROOT/package.json")
  ln -s "$REPO_ROOT/node_modules" "$dir/node_modules"
  echo "$dir/bin/run.js"
}
# mirror_has_command guard pre-push -> true if that command is registered.
mirror_has_command() {
  mirror_available && "$NODE_BIN" "$MIRROR_JS" "$@" --help >/dev/null 2>&1
}

# Every timed git command runs without user/system configuration too, so a
# developer's ~/.gitconfig (pager, diff drivers, renames) can't skew a figure.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

# BENCH_QUICK=1: fewer runs, for trying the harness out; results.md says so.
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  HF_FAST=(--warmup 1 --runs 3)   # commands well under a second
  HF_SLOW=(--warmup 0 --runs 2)   # whole-history commands
else
  HF_FAST=(--warmup 3 --min-runs 20)
  HF_SLOW=(--warmup 1 --runs 10)
fi

# --- rows of a case ----------------------------------------------------------
# A case declares its rows, then calls measure_case, then render_case. Each row:
#   row KEY KIND LABEL COMMAND OK_EXIT_CODES [COUNTER]
# KIND: floor (the physical floor the ratios are against) | overhead (a
# measurement of the harness itself) | mirror | peer. OK_EXIT_CODES: the exit
# codes that are a result, not a crash ("0 1" for a scanner: 1 = found
# something). COUNTER: a function `COUNTER COMMAND LOG` that runs the command
# once and prints "<exit code> <findings>", default: run it, findings "–".
ROWS=()
declare -A R_KIND R_LABEL R_CMD R_OK R_COUNT R_STATUS R_RC R_FINDINGS R_STATS R_CPU R_RSS R_NODE_RSS R_MEAN R_MIN R_PREP
row() {
  local key="$1"
  ROWS+=("$key")
  R_KIND[$key]="$2"; R_LABEL[$key]="$3"; R_CMD[$key]="$4"; R_OK[$key]="$5"; R_COUNT[$key]="${6:-count_none}"
  R_STATUS[$key]=pending
}
# skip_row KEY KIND LABEL REASON: a row that is shown but not run.
skip_row() {
  ROWS+=("$1")
  R_KIND[$1]="$2"; R_LABEL[$1]="$3"; R_CMD[$1]=""; R_STATUS[$1]="$4"
}

count_none() { local rc=0; sh -c "$1" >"$2" 2>&1 || rc=$?; echo "$rc –"; }

# git-secrets prints one line per match, then a blank line and "[ERROR] ...";
# git's own warnings (rename limits) go to the same stream and are not matches.
count_git_secrets() {
  local rc=0
  sh -c "$1" >"$2" 2>&1 || rc=$?
  if [[ $rc -ne 1 ]]; then echo "$rc 0"; return; fi
  echo "$rc $(awk '/^\[ERROR\] Matched one or more prohibited patterns/ { exit } NF && !/^warning: / { n++ } END { print n + 0 }' "$2")"
}

# secretlint: the same command once more with --format json --output, whose
# messages we count (with --output, secretlint exits 0 even when it found
# something, so a non-zero exit here is a crash).
count_secretlint() {
  local rc=0
  sh -c "$1 --format json --output '$2.json'" >"$2" 2>&1 || rc=$?
  if [[ $rc -eq 0 && -s "$2.json" ]]; then
    echo "0 $(jq '[.[].messages[]] | length' "$2.json")"
  else
    echo "$rc ?"
  fi
}

# mirror: its --format json report has "violations" (and "stats": what it
# scanned, kept beside the log for the notes). oclif exits 1 on a crash too,
# so an exit code without a well-formed report is marked as a crash.
count_mirror() {
  local rc=0
  sh -c "$1 --format json" >"$2.json" 2>"$2" || rc=$?
  local n
  n="$(jq -er '.violations | length' "$2.json" 2>/dev/null || true)"
  if [[ ! "$n" =~ ^[0-9]+$ ]]; then
    echo "$rc-without-report ?"
  elif [[ $rc -eq 1 && $n -eq 0 ]]; then
    echo "$rc-without-violations ?"
  else
    echo "$rc $n"
  fi
}

# slow KEY: time this row with HF_SLOW (fewer runs) instead of HF_FAST.
declare -A R_SLOW
slow() { R_SLOW[$1]=1; }
# runs KEY HYPERFINE_OPTIONS...: time this row with these options instead.
declare -A R_RUNS
runs() { local key="$1"; shift; R_RUNS[$key]="$*"; }

# prepare KEY CMD: a command that puts the repository back in the row's starting
# state; run (untimed) before every timed run (hyperfine --prepare), before the
# once-runs that check exit code and findings, and before the peak RSS run. For
# commands that change what the next run sees (sync-up builds and pushes a branch).
prepare() { R_PREP[$1]="$2"; }
# run_prep KEY: the row's prepare command, if any (in the current directory).
run_prep() {
  [[ -n "${R_PREP[$1]:-}" ]] || return 0
  sh -c "${R_PREP[$1]}" >/dev/null 2>&1 || die "prepare of row $1 failed: ${R_PREP[$1]}"
}

# measure_case NAME CWD: runs every pending row once (exit code, findings,
# crash check), then times each with hyperfine (one run of hyperfine per row,
# so a slow peer can get fewer runs than a fast one; all in this same harness
# run, one after the other), then measures each one's peak RSS. Returns 1 if a
# tool failed (crashed, or an exit code not listed as a result).
measure_case() {
  local name="$1" cwd="$2"
  local failed=0 key
  for key in "${ROWS[@]}"; do
    [[ "${R_STATUS[$key]}" == pending ]] || continue
    log "$name: $key once (exit code, findings)"
    local out rc findings
    out="$(cd "$cwd" && run_prep "$key" && "${R_COUNT[$key]}" "${R_CMD[$key]}" "$LOGS_DIR/$name-$key.log")"
    rc="${out%% *}"; findings="${out#* }"
    R_RC[$key]="$rc"; R_FINDINGS[$key]="$findings"
    if [[ " ${R_OK[$key]} " != *" $rc "* ]]; then
      R_STATUS[$key]="FAILED (exit $rc, see bench/.work/logs/$name-$key.log)"
      log "$name: $key FAILED with exit code $rc: $(tail -3 "$LOGS_DIR/$name-$key.log" | tr '\n' ' ')"
      failed=1
      continue
    fi
    local json="$RESULTS_DIR/$name-$key.json" args=("${HF_FAST[@]}")
    [[ -n "${R_SLOW[$key]:-}" ]] && args=("${HF_SLOW[@]}")
    # shellcheck disable=SC2206
    [[ -n "${R_RUNS[$key]:-}" ]] && args=(${R_RUNS[$key]})
    [[ -n "${R_PREP[$key]:-}" ]] && args+=(--prepare "${R_PREP[$key]}")
    log "$name: timing $key (${args[*]})"
    # -i: a scanner's "found something" exit 1 is a result; the exit codes of
    # every run are checked from the JSON below, so a crash still fails.
    if ! (cd "$cwd" && hf "$name-$key" -i "${args[@]}" -n "${R_LABEL[$key]}" "${R_CMD[$key]}"); then
      R_STATUS[$key]="FAILED (hyperfine could not time it)"
      failed=1
      continue
    fi
    local codes; codes="$(hf_exit_codes "$json" 0)"
    R_RC[$key]="$codes"
    R_MEAN[$key]="$(hf_mean "$json" 0)"
    R_MIN[$key]="$(hf_min "$json" 0)"
    R_CPU[$key]="$(fmt_secs "$(jq -r '.results[0] | .user + .system' "$json")")"
    R_STATS[$key]="$json"
    local c bad=""
    for c in ${codes//,/ }; do [[ " ${R_OK[$key]} " == *" $c "* ]] || bad="$c"; done
    # The same single run again: a tool that broke while being timed (a crash
    # with an exit code that also means a result) shows up as a changed outcome.
    local after; after="$(cd "$cwd" && run_prep "$key" && "${R_COUNT[$key]}" "${R_CMD[$key]}" "$LOGS_DIR/$name-$key.after.log")"
    if [[ -n "$bad" ]]; then
      R_STATUS[$key]="FAILED (exit $bad during timing)"
      failed=1
    elif [[ "$after" != "$out" ]]; then
      R_STATUS[$key]="FAILED (outcome changed while timing: exit/findings '$out' before, '$after' after)"
      log "$name: $key FAILED: outcome '$out' before timing, '$after' after"
      failed=1
    else
      R_STATUS[$key]=ok
    fi
    log "$name: $key peak RSS"
    if [[ "${R_KIND[$key]}" == mirror ]]; then
      # Same run, with node's own peak recorded too (see rss-preload.cjs).
      rm -f "$LOGS_DIR/$name-$key.node-rss"
      R_RSS[$key]="$(cd "$cwd" && run_prep "$key" && BENCH_NODE_RSS_FILE="$LOGS_DIR/$name-$key.node-rss" \
        NODE_OPTIONS="--require $BENCH_DIR/rss-preload.cjs" peak_rss_kb "$LOGS_DIR/$name-$key" "${R_CMD[$key]}")"
      R_NODE_RSS[$key]="$(cat "$LOGS_DIR/$name-$key.node-rss" 2>/dev/null || true)"
    else
      R_RSS[$key]="$(cd "$cwd" && run_prep "$key" && peak_rss_kb "$LOGS_DIR/$name-$key" "${R_CMD[$key]}")"
    fi
  done
  return $failed
}

# floor_key: the row whose mean the ratios are against.
floor_key() { local k; for k in "${ROWS[@]}"; do [[ "${R_KIND[$k]}" == floor ]] && { echo "$k"; return; }; done; }

# render_case NAME: the markdown table of a measured case.
render_case() {
  local name="$1" fk floor_mean="" floor_min="" key
  fk="$(floor_key)"
  if [[ -n "$fk" && -n "${R_MEAN[$fk]:-}" ]]; then floor_mean="${R_MEAN[$fk]}"; floor_min="${R_MIN[$fk]}"; fi
  echo "| Command | Mean ± σ | Min … max | Runs | × floor | CPU (user+sys) | Peak RSS | Exit | Findings |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for key in "${ROWS[@]}"; do
    local label="${R_LABEL[$key]}"
    [[ "${R_KIND[$key]}" == floor ]] && label="**floor:** $label"
    if [[ "${R_STATUS[$key]}" == ok ]]; then
      local stats; stats="$(hf_stats "${R_STATS[$key]}" 0 "$floor_mean" "$floor_min")"
      IFS='|' read -r ms minmax runs ratio <<<"$stats"
      [[ "${R_KIND[$key]}" == floor ]] && ratio="1×"
      [[ "${R_KIND[$key]}" == overhead ]] && ratio="–"
      local rss; rss="$(mb "${R_RSS[$key]:-0}")"
      [[ -n "${R_NODE_RSS[$key]:-}" ]] && rss="$rss (node $(mb "${R_NODE_RSS[$key]}"))"
      echo "| $label | $ms | $minmax | $runs | $ratio | ${R_CPU[$key]} | $rss | ${R_RC[$key]} | ${R_FINDINGS[$key]} |"
    else
      echo "| $label | ${R_STATUS[$key]} | | | | | | ${R_RC[$key]:-} | ${R_FINDINGS[$key]:-} |"
    fi
  done
}

# ratio_of KEY [mean|min]: KEY's mean (or min) over the floor's, or empty when
# either is missing.
ratio_of() {
  local fk; fk="$(floor_key)"
  [[ "${R_STATUS[$1]:-}" == ok && -n "${R_MEAN[$fk]:-}" ]] || return 0
  if [[ "${2:-mean}" == min ]]; then
    awk -v a="${R_MIN[$1]}" -v b="${R_MIN[$fk]}" 'BEGIN { printf "%.2f", a / b }'
  else
    awk -v a="${R_MEAN[$1]}" -v b="${R_MEAN[$fk]}" 'BEGIN { printf "%.2f", a / b }'
  fi
}

# target_ratio KEY WHAT LIMIT_RATIO: "met"/"not met" for mean(KEY) ≤ LIMIT × floor.
target_ratio() {
  local key="$1" what="$2" limit="$3" r
  r="$(ratio_of "$key")"
  if [[ -z "$r" ]]; then
    echo "- Target $what: **not measured** (${R_STATUS[$key]:-not run})."
    return
  fi
  # Judged on the means; the ratio of the fastest runs is given beside it.
  local rmin; rmin="$(ratio_of "$key" min)"
  if awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r <= l) }'; then
    echo "- Target $what: **met** (${r}× on the means; ${rmin}× on the fastest runs)."
  else
    echo "- Target $what: **not met** (${r}× on the means; ${rmin}× on the fastest runs)."
  fi
}
# target_rss KEY WHAT LIMIT_MB
target_rss() {
  local key="$1" what="$2" limit="$3"
  if [[ "${R_STATUS[$key]:-}" != ok || -z "${R_RSS[$key]:-}" ]]; then
    echo "- Target $what: **not measured** (${R_STATUS[$key]:-not run})."
  elif ((R_RSS[$key] < limit * 1024)); then
    echo "- Target $what: **met** ($(mb "${R_RSS[$key]}"))."
  else
    echo "- Target $what: **not met** ($(mb "${R_RSS[$key]}"))."
  fi
}

# The commands as a reader re-types them: paths relative to the repository root.
show_cmd() { local c="$1"; echo "${c//$REPO_ROOT\//}"; }

# --- timing ------------------------------------------------------------------
# hf NAME [hyperfine options...] -- runs hyperfine with our defaults and writes
# $RESULTS_DIR/NAME.json. The default shell (sh -c) is kept on purpose: the hook
# case needs a stdin redirect (hyperfine 1.15 has no --input) and hyperfine
# measures and subtracts the shell's own spawn time from every command.
hf() {
  local name="$1"; shift
  hyperfine --style basic --export-json "$RESULTS_DIR/$name.json" "$@" >&2
}

# peak_rss_kb LOGFILE CMD -> prints GNU time's "Maximum resident set size" (kB)
# of `sh -c CMD`. getrusage's ru_maxrss for children is the largest single
# process of the tree (node, or a git it spawned, or one stage of a pipe), not
# the sum of them; results.md says so.
peak_rss_kb() {
  local logfile="$1" cmd="$2"
  /usr/bin/time -v -o "$logfile.time" sh -c "$cmd" >/dev/null 2>&1 || true
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$logfile.time"
}

# --- report helpers ----------------------------------------------------------
# fmt_secs SECONDS [UNIT_FROM_SECONDS] -> "123 ms" / "4.5 ms" / "12.34 s"; the
# unit is chosen from the second argument (a row's mean) so a row reads alike.
fmt_secs() {
  awk -v x="$1" -v u="${2:-$1}" 'BEGIN {
    if (u >= 1) printf "%.2f s", x;
    else if (u * 1000 >= 100) printf "%.0f ms", x * 1000;
    else printf "%.1f ms", x * 1000 }'
}

# hf_stats JSON INDEX FLOOR_MEAN FLOOR_MIN -> "mean ± σ|min … max|runs|ratio"
# for the INDEX-th command of a hyperfine export; ratio is mean over the floor's
# mean, then min over the floor's min (less sensitive to other load on the
# machine), or "–" when there is no floor.
hf_stats() {
  local json="$1" idx="$2" floor="${3:-}" floor_min="${4:-}" mean sd min max runs ratio="–"
  read -r mean sd min max runs < <(jq -r --argjson i "$idx" '.results[$i] | "\(.mean) \(.stddev // 0) \(.min) \(.max) \(.times | length)"' "$json")
  if [[ -n "$floor" ]]; then
    ratio="$(awk -v a="$mean" -v b="$floor" -v c="$min" -v d="$floor_min" 'BEGIN { if (b > 0 && d > 0) printf "%.2f× (min %.2f×)", a / b, c / d; else printf "–" }')"
  fi
  printf '%s ± %s|%s … %s|%s|%s\n' "$(fmt_secs "$mean")" "$(fmt_secs "$sd" "$mean")" "$(fmt_secs "$min" "$mean")" \
    "$(fmt_secs "$max" "$mean")" "$runs" "$ratio"
}
hf_mean() { jq -r --argjson i "$2" '.results[$i].mean' "$1"; }
hf_min() { jq -r --argjson i "$2" '.results[$i].min' "$1"; }
# All exit codes hyperfine saw for command INDEX, e.g. "0" or "0,1".
hf_exit_codes() { jq -r --argjson i "$2" '[.results[$i].exit_codes[]] | unique | map(tostring) | join(",")' "$1"; }

mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MB", kb / 1024 }'; }
# human BYTES -> "12 MB" from 1 MB up, else "345 KB" (small pushes, small diffs).
human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.0f MB", b / 1048576; else printf "%.0f KB", b / 1024 }'; }
