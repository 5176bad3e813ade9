#!/usr/bin/env bash
# The benchmark: `npm run bench` (= npm run build && bash bench/run.sh).
#
#   bash bench/run.sh              every case, then writes bench/results.md
#   bash bench/run.sh hook         only the named case(s); results.md then holds only those
#   bash bench/run.sh sync-up hook-small   (any subset, in the order given)
#   BENCH_QUICK=1 bash bench/run.sh   2-3 runs per command, to try the harness out
#
# Steps: install/check the tools and peers (peers.sh), build or reuse the
# corpora the chosen cases use (corpus.sh NAME), run each case
# (cases/<name>.sh, each writes a markdown fragment and its hyperfine JSON
# under bench/.work/results/), then assemble bench/results.md with the
# machine's and corpora's facts.
#
# mirror's rows are marked "not available" while bin/run.js does not run; the
# floors and peers are measured regardless. Exits non-zero if any tool failed
# (a crash or an unexpected exit code; a scanner's exit 1 "found something" is
# a result, recorded with its findings count). results.md is written anyway,
# with the failure marked.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Order of the sections in results.md. A new case is a script in bench/cases/
# that sources lib.sh and writes $RESULTS_DIR/<name>.md; add its name here.
ALL_CASES=(hook hook-small history sync-up fleet)
# The corpus each case reads (corpus.sh builds it; results.md describes it).
declare -A CASE_CORPUS=([hook]=mui-material [hook-small]=types-node [history]=mui-material [sync-up]=mui-material [fleet]=express)

cases=("$@")
((${#cases[@]})) || cases=("${ALL_CASES[@]}")
for c in "${cases[@]}"; do
  # (bench/cases/ also holds helpers of a case, e.g. sync-up-reset.sh: not cases)
  [[ " ${ALL_CASES[*]} " == *" $c "* && -f "$BENCH_DIR/cases/$c.sh" ]] || die "no such case: $c (cases: ${ALL_CASES[*]})"
done

t_start="$(now)"
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

bash "$BENCH_DIR/peers.sh"
corpora=()
for c in "${cases[@]}"; do
  k="${CASE_CORPUS[$c]:-$CORPUS_NAME}"
  [[ " ${corpora[*]} " == *" $k "* ]] || corpora+=("$k")
done
t0="$(now)"
for k in "${corpora[@]}"; do bash "$BENCH_DIR/corpus.sh" "$k"; done
corpus_secs="$(elapsed "$t0")"

# Time a copy of the build, not the checkout (see mirror_snapshot in lib.sh).
if mirror_available; then
  MIRROR_JS="$(mirror_snapshot "$WORK/mirror")"
  export MIRROR_JS
fi
if mirror_available; then
  mirror_version="$("$NODE_BIN" "$MIRROR_JS" --version 2>/dev/null | head -1)"
else
  mirror_version="not available (\`node bin/run.js --version\` fails; run \`npm run build\`)"
  log "mirror is not available: its rows will say so"
fi
mirror_commit="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit yet")"
# (bench/ is not part of the build: its changes don't count here)
if [[ -n "$(git -C "$REPO_ROOT" status --porcelain --untracked-files=no -- . ':!bench' 2>/dev/null)" ]]; then
  mirror_commit="$mirror_commit (with uncommitted changes)"
fi

failed=()
declare -A case_secs
for c in "${cases[@]}"; do
  log "=== case $c ==="
  rm -f "$RESULTS_DIR/$c.md"
  t0="$(now)"
  if ! bash "$BENCH_DIR/cases/$c.sh"; then
    failed+=("$c")
    log "case $c: a tool failed (see its table)"
  fi
  case_secs[$c]="$(elapsed "$t0")"
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- results.md --------------------------------------------------------------
# shellcheck disable=SC1090
source "$WORK/peers.facts"
cpu="$(lscpu | awk -F': +' '/^Model name/ { print $2; exit }')"
mem="$(free -g | awk '/^Mem:/ { print $2 " GiB" }')"
out="$BENCH_DIR/results.md"
{
  echo "# mirror benchmarks"
  echo
  echo "Written by \`npm run bench\` (\`bash bench/run.sh\`) on $started_at. Reproduce with \`npm run bench\`:"
  echo "it installs the peers, rebuilds the same corpus (its HEAD id below is checked), and rewrites this file."
  if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
    echo
    echo "**Quick run (BENCH_QUICK=1): 2–3 runs per command, for trying the harness out; not figures to quote.**"
  fi
  if ((${#failed[@]})); then
    echo
    echo "**A tool failed in: ${failed[*]}** (see the rows marked FAILED)."
  fi
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $cpu, $(nproc) cores |"
  echo "| Memory | $mem |"
  echo "| OS | $(uname -sr) |"
  echo "| Node | $("$NODE_BIN" --version) |"
  echo "| git | $(git --version | awk '{ print $3 }') |"
  echo "| mirror | $mirror_version, commit $mirror_commit |"
  echo "| Peers | git-secrets $git_secrets_version (Debian), secretlint $secretlint_version with @secretlint/secretlint-rule-preset-recommend $secretlint_preset_version (npm) |"
  echo "| Tools | hyperfine $hyperfine_version, GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo unknown) |"
  echo "| Load average (1, 5, 15 min) | $load_before before, $load_after after |"
  echo
  echo "The machine is shared: other work may run during the benchmark (see the load average). Min … max and"
  echo "the CPU column (user + system time of the command and its children) are less sensitive to that than the mean."
  echo
  echo "## Corpus"
  echo
  echo "Real projects' published histories, built without GitHub, which the benchmark machine can't reach: every stable"
  echo "release of an npm package in a pinned range, in semver order, one commit per release, each commit's tree exactly that"
  echo "release's npm tarball, dated with its publish time as the registry reports it (\`bench/corpus.sh NAME\`; release"
  echo "list, dates and tarball hashes pinned in \`bench/corpus/NAME-releases.tsv\`)."
  for k in "${corpora[@]}"; do
    # shellcheck disable=SC1090
    source "$(corpus_facts "$k")"
    users=()
    for c in "${cases[@]}"; do [[ "${CASE_CORPUS[$c]:-$CORPUS_NAME}" == "$k" ]] && users+=("$c"); done
    echo
    echo "### $k: \`$corpus_package\` $corpus_first to $corpus_last (cases: ${users[*]})"
    echo
    echo "| | |"
    echo "|---|---|"
    echo "| HEAD | \`$corpus_head\` (identical on every build) |"
    echo "| Commits | $corpus_commits |"
    echo "| Distinct blobs | $corpus_blobs, $(human "$corpus_blob_bytes") uncompressed |"
    echo "| Trees | $corpus_trees |"
    echo "| \`.git/objects\` | $(human "$corpus_git_dir_bytes"), one pack |"
    echo "| HEAD checkout | $corpus_head_files files, $(human "$corpus_head_bytes") |"
    echo "| \`git log -p --all\` output | $(human "$corpus_log_p_bytes") |"
  done
  echo
  echo "## How to read the tables"
  echo
  echo "- Mean ± σ, min … max and runs are hyperfine's (\`--warmup\`, then the runs; each command's own JSON is in"
  echo "  \`bench/.work/results/\`). × floor is the mean over the case's floor's mean, and in brackets the fastest run"
  echo "  over the floor's fastest run, which other load on the machine disturbs less. Targets are judged on the means."
  echo "- CPU is user + system time, mean per run. Peak RSS is GNU \`/usr/bin/time -v\`'s maximum resident set size over"
  echo "  one run: the largest single process of the command's tree (node, a git it starts, one stage of a pipe),"
  echo "  not their sum. For mirror, \"(node N MB)\" is its node process's own peak in that same run."
  echo "- Exit is every exit code seen while timing; a scanner's 1 means \"found something\", which is a result."
  echo "  Findings is how many matches the tool reported in a separate run, so a reader can see whether the tools"
  echo "  did comparable work; \"–\" where the command is not a scanner. Each tool is run once more after its timing,"
  echo "  and a changed exit code or count fails the run (a tool that broke while being timed)."
  echo "- mirror runs from \`bench/.work/mirror\`, a copy of the built package (the files package.json publishes) taken"
  echo "  at the start, so the figures are of one build even if the checkout is rebuilt meanwhile."
  for c in "${cases[@]}"; do
    echo
    if [[ -s "$RESULTS_DIR/$c.md" ]]; then
      cat "$RESULTS_DIR/$c.md"
    else
      echo "## Case $c"
      echo
      echo "**The case failed before producing its table** (see the output of \`bash bench/run.sh $c\`)."
    fi
  done
  echo
  echo "## How to reproduce"
  echo
  echo "- Everything: \`npm run bench\` (\`npm run build && bash bench/run.sh\`). It installs the peers (\`bench/peers.sh\`:"
  echo "  Debian packages, secretlint from \`bench/peers/package-lock.json\`), builds or reuses the corpora, runs every case"
  echo "  and rewrites this file. \`BENCH_QUICK=1\` takes 2–3 runs per command, to try the harness out."
  echo "- Some cases only: \`bash bench/run.sh CASE...\` with cases among: ${ALL_CASES[*]}; this file then holds only those."
  echo "  E.g. \`bash bench/run.sh sync-up hook-small\`."
  echo "- A corpus alone: \`bash bench/corpus.sh NAME\` (NAME: ${!CORPUS_PKGS[*]}); \`--verify\` builds it twice and"
  echo "  compares HEAD ids. The cases build their scratch repositories from it under \`bench/.work/<case>/\`, from scratch"
  echo "  on every run; the commands each case times are listed under its table, run in the directory named there."
  echo "- hook, hook-small: \`bench/cases/hook.sh\` (hook-small is the same script on the types-node corpus)."
  echo "- sync-up: \`bench/cases/sync-up.sh\` builds the upstream and mirror repositories from the mui-material corpus"
  echo "  (under \`bench/.work/sync-up/\`), checks them with one \`mirror sync-up --dry-run --json\`, times the rows with"
  echo "  \`bench/cases/sync-up-reset.sh\` as hyperfine's \`--prepare\` (the floor is \`bench/cases/sync-up-floor.sh\`), counts"
  echo "  the planning's git processes with a \`git\` wrapper put first in PATH (\`bench/.work/sync-up/git-count/git\`, one log"
  echo "  line per call: \`bench/.work/sync-up/git-count-N.log\`), and records one run's timeline with a second wrapper that"
  echo "  logs each git process's start and end (\`bench/.work/sync-up/timeline.log\`)."
  echo "- fleet: \`bash bench/run.sh fleet\` (\`EXPRESS_GIT=DIR\` names a local clone of expressjs/express; otherwise"
  echo "  \`bench/corpus.sh express\` clones it once with \`git clone --bare https://github.com/expressjs/express\`). \`FLEET_SIZES\`"
  echo "  (default \`20 50 100 200\`, ascending) and \`FLEET_RUNS\` (default 5) choose the sizes and runs. \`bench/cases/fleet.sh\`"
  echo "  builds everything under \`bench/.work/fleet/\`, starts the local forge (\`bench/fleet-forge.ts\`, bundled with esbuild)"
  echo "  and times \`bench/cases/fleet-loop.sh\` against \`mirror fleet status\`."
  echo
  echo "## Time taken"
  echo
  echo "Corpus (build or reuse): ${corpus_secs}s. $(for c in "${cases[@]}"; do printf 'Case %s: %ss. ' "$c" "${case_secs[$c]}"; done)Whole run: $(elapsed "$t_start")s."
} >"$out"
log "wrote $out"
# The summary on the terminal: each case's heading, table and targets.
awk '/^## How to read/ { cases = 1; next }
     /^## How to reproduce/ { cases = 0; next }
     /^## Time taken/ { cases = 1 }
     cases && /^## / { print ""; print; next }
     cases && (/^\|/ || /^- Target/ || /^Corpus \(build/) { print }' "$out" >&2

if ((${#failed[@]})); then
  die "a tool failed in: ${failed[*]}"
fi
