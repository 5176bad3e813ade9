#!/usr/bin/env bash
# Fleet case: `mirror fleet status` over 20 … 200 customer mirrors of one upstream.
#
# The claim (issue 16): `mirror fleet status --jobs 8` is no slower than the loop
# a user would script (cases/fleet-loop.sh: for each mirror, `git fetch` into a
# clone of its own and `git rev-list --count` both ways), while it also reads each
# mirror's last sync-down run and sync pull requests from the forge; peak memory
# under 200 MB; at most three forge requests per mirror. Time is shown growing
# from 20 to 200 mirrors.
#
# Corpus: expressjs/express's real history (bash bench/corpus.sh express: from
# EXPRESS_GIT=DIR, a local clone, or cloned once from GitHub; never by a test).
#
# Setup (from scratch on every run; bench/.work/fleet/):
#   - upstream.git: bare, main = the pinned express commit, the whole history;
#   - mirrors/mNNN.git, NNN = 001 … 200: bare repositories, mirror i at
#     upstream main~(i mod 40) (first-parent steps: express merges pull requests,
#     so "behind" counts more commits than that) plus 1 + (i mod 3) private commits,
#     each adding one file under private/. They borrow the upstream's objects
#     through git alternates, as a forge's fork network stores them;
#   - the local forge (bench/fleet-forge.ts: the tests' fake forge, GitHub's REST
#     shapes) with repositories acme/mNNN, their mirror-sync-down.yml runs (every
#     10th failed, every 25th has no workflow) and open pull requests (every 7th);
#     it counts the requests per repository;
#   - git's `url.<base>.insteadOf` (a gitconfig of the case, GIT_CONFIG_GLOBAL for
#     both rows) maps the forge's clone URLs http://127.0.0.1:PORT/acme/mNNN.git to
#     the bare repositories, so the fleet file names forge URLs, as a real one does;
#   - per size N: control-N/ (a git checkout without origin) whose
#     .mirror/fleet.yml names mirrors m001 … mN, and loop-N.list for the loop.
# Rows per size, timed one after the other in this run, both in steady state (the
# untimed first run clones, fills the cache; then fetches find nothing new):
#   - floor: the loop over the N mirrors, its clones in loop-clones/;
#   - mirror fleet status --jobs 8 --json, token set: git facts and forge facts.
# Checked once per size: mirror's ahead/behind per mirror equal the loop's.
# Writes bench/.work/results/fleet.md (a fragment of results.md).

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CASE=fleet
DIR="$WORK/$CASE"
read -ra SIZES <<<"${FLEET_SIZES:-20 50 100 200}"
MAX="${SIZES[-1]}"
for n in "${SIZES[@]}"; do ((n > MAX)) && MAX=$n; done
DEPTH=40                       # mirror i is at upstream main~(i mod DEPTH)
JOBS=8
EXPRESS_DIR="$(corpus_dir express)"
EXPRESS_FACTS="$(corpus_facts express)"
[[ -f "$EXPRESS_FACTS" ]] || die "no corpus express: run bash bench/corpus.sh express first (EXPRESS_GIT=DIR for a local copy)"
# shellcheck disable=SC1090
source "$EXPRESS_FACTS"
IDENT="Mirror Customer <customer@mirror-bench.invalid>"
T0=1767225600                  # 2026-01-01T00:00:00Z, the private commits' dates
name_of() { printf 'm%03d' "$1"; }

# --- setup -------------------------------------------------------------------
rm -rf "$DIR"
mkdir -p "$DIR/mirrors"
log "$CASE: upstream and $MAX mirrors from $corpus_package"
hgit clone -q --bare "$EXPRESS_DIR" "$DIR/upstream.git"
hgit -C "$DIR/upstream.git" symbolic-ref HEAD refs/heads/main
mapfile -t BASES < <(for ((d = 0; d < DEPTH; d++)); do hgit --git-dir="$DIR/upstream.git" rev-parse "main~$d"; done)

# Every mirror's private commits in one fast-import stream into src.git (which
# borrows the upstream's objects), branch mNNN each.
git init -q --bare "$DIR/src.git"
echo "$DIR/upstream.git/objects" >"$DIR/src.git/objects/info/alternates"
{
  when=$T0
  for ((i = 1; i <= MAX; i++)); do
    name="$(name_of "$i")"
    printf 'reset refs/heads/%s\nfrom %s\n\n' "$name" "${BASES[i % DEPTH]}"
    for ((k = 1; k <= 1 + i % 3; k++)); do
      msg="Customer $name: private change $k"
      body="# $name, private change $k"$'\n\n'"Kept in this customer's mirror only."$'\n'
      printf 'commit refs/heads/%s\nauthor %s %d +0000\ncommitter %s %d +0000\n' "$name" "$IDENT" "$when" "$IDENT" "$when"
      printf 'data %d\n%s\n' "${#msg}" "$msg"
      printf 'M 100644 inline private/%s/change-%d.md\ndata %d\n%s\n\n' "$name" "$k" "$(printf '%s' "$body" | wc -c)" "$body"
      when=$((when + 60))
    done
  done
  printf 'done\n'
} | hgit --git-dir="$DIR/src.git" fast-import --quiet --done
for ((i = 1; i <= MAX; i++)); do
  name="$(name_of "$i")"
  git init -q --bare -b main "$DIR/mirrors/$name.git"
  printf '%s\n%s\n' "$DIR/src.git/objects" "$DIR/upstream.git/objects" >"$DIR/mirrors/$name.git/objects/info/alternates"
  hgit --git-dir="$DIR/src.git" rev-parse "refs/heads/$name" >"$DIR/mirrors/$name.git/refs/heads/main"
done

# The forge: the tests' fake forge, bundled for node.
TOKEN="bench-fleet-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"   # made at run time, never written down
export BENCH_FORGE_TOKEN="$TOKEN" GH_ENTERPRISE_TOKEN="$TOKEN"
"$REPO_ROOT/node_modules/.bin/esbuild" "$BENCH_DIR/fleet-forge.ts" --bundle --platform=node --format=esm \
  --log-level=warning --outfile="$DIR/forge.mjs"
"$NODE_BIN" "$DIR/forge.mjs" "$MAX" "$DIR/forge.info" >"$LOGS_DIR/$CASE-forge.log" 2>&1 &
FORGE_PID=$!
trap 'kill "$FORGE_PID" 2>/dev/null || true' EXIT
for ((t = 0; t < 100; t++)); do [[ -s "$DIR/forge.info" ]] && break; sleep 0.1; done
[[ -s "$DIR/forge.info" ]] || die "$CASE: the local forge did not start (see $LOGS_DIR/$CASE-forge.log)"
read -r FORGE_URL FORGE_API <"$DIR/forge.info"

# git fetches the forge's clone URLs from the bare repositories (both rows).
printf '[url "%s/"]\n\tinsteadOf = %s/acme/\n' "$DIR/mirrors" "$FORGE_URL" >"$DIR/gitconfig"
export GIT_CONFIG_GLOBAL="$DIR/gitconfig"

for n in "${SIZES[@]}"; do
  ctl="$DIR/control-$n"
  git init -q -b main "$ctl"
  mkdir -p "$ctl/.mirror"
  {
    printf 'version: 1\nupstream:\n  url: %s\n  branch: main\nmirrors:\n' "$DIR/upstream.git"
    for ((i = 1; i <= n; i++)); do
      printf '  - name: %s\n    url: %s/acme/%s.git\n    forge: github\n    apiUrl: %s\n    labels: [%s]\n' \
        "$(name_of "$i")" "$FORGE_URL" "$(name_of "$i")" "$FORGE_API" "$( ((i % 2)) && echo eu || echo us)"
    done
  } >"$ctl/.mirror/fleet.yml"
  for ((i = 1; i <= n; i++)); do printf '%s %s/acme/%s.git\n' "$(name_of "$i")" "$FORGE_URL" "$(name_of "$i")"; done >"$DIR/loop-$n.list"
done

# --- rows --------------------------------------------------------------------
# mirror's report: the mirrors it lists are its findings; no report is a crash.
count_fleet() {
  local rc=0 n
  sh -c "$1" >"$2.json" 2>"$2" || rc=$?
  n="$(jq -er '.mirrors | length' "$2.json" 2>/dev/null || true)"
  [[ "$n" =~ ^[0-9]+$ ]] && echo "$rc $n" || echo "$rc-without-report ?"
}
# the loop: one line per mirror
count_lines() { local rc=0; sh -c "$1" >"$2" 2>&1 || rc=$?; echo "$rc $(grep -c . "$2")"; }

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then RUNS=(--warmup 0 --runs 2); else RUNS=(--warmup 1 --runs "${FLEET_RUNS:-5}"); fi
failed=0
declare -A TABLE REQ_MAX REQ_TOTAL SAME
for n in "${SIZES[@]}"; do
  ROWS=()
  row "loop-$n" floor "loop over $n mirrors (\`fleet-loop.sh\`)" \
    "bash $BENCH_DIR/cases/fleet-loop.sh $DIR/loop-$n.list $DIR/loop-clones $DIR/upstream.git" "0" count_lines
  runs "loop-$n" "${RUNS[*]}"
  if mirror_has_command fleet status; then
    row "mirror-$n" mirror "\`mirror fleet status --jobs $JOBS --json\`, $n mirrors" \
      "$NODE_BIN $MIRROR_JS fleet status --jobs $JOBS --json" "0 1" count_fleet
    runs "mirror-$n" "${RUNS[*]}"
  else
    skip_row "mirror-$n" mirror "\`mirror fleet status\`" "not available (\`node bin/run.js fleet status --help\` fails: not built yet)"
  fi
  # both rows run in the control folder (the loop names its paths in full)
  measure_case "$CASE-$n" "$DIR/control-$n" || failed=1
  TABLE[$n]="$(render_case "$CASE-$n")"

  # The same figures: mirror's ahead/behind against the loop's, mirror by mirror.
  if [[ -s "$LOGS_DIR/$CASE-$n-mirror-$n.log.json" ]]; then
    if diff <(jq -r '.mirrors[] | "\(.name) \(.git.ahead) \(.git.behind)"' "$LOGS_DIR/$CASE-$n-mirror-$n.log.json" | sort) \
      <(sort "$LOGS_DIR/$CASE-$n-loop-$n.log") >"$LOGS_DIR/$CASE-$n-compare.diff"; then
      SAME[$n]=yes
    else
      SAME[$n]="NO (see bench/.work/logs/$CASE-$n-compare.diff)"
      failed=1
    fi
    # Forge requests of one more run, counted by the local forge.
    curl -fsS -X POST "$FORGE_URL/__bench/reset" -o /dev/null
    (cd "$DIR/control-$n" && "$NODE_BIN" "$MIRROR_JS" fleet status --jobs "$JOBS" --json >/dev/null 2>&1) || true
    read -r REQ_TOTAL[$n] REQ_MAX[$n] < <(curl -fsS "$FORGE_URL/__bench/requests" | jq -r '"\(.total) \([.perRepo[]] | max)"')
  fi
done

# --- fragment of results.md --------------------------------------------------
per() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.0f ms", t * 1000 / n }'; }
behind_range="$(jq -r '[.mirrors[].git.behind] | "\(min) … \(max)"' "$LOGS_DIR/$CASE-$MAX-mirror-$MAX.log.json" 2>/dev/null || echo '?')"
{
  echo "## Fleet case: \`mirror fleet status\` over ${SIZES[*]} mirrors"
  echo
  echo "An upstream (bare, $corpus_package's history: $corpus_commits commits, main at \`${corpus_head:0:12}\`) and $MAX bare mirrors;"
  echo "mirror i is at upstream \`main~(i mod $DEPTH)\` plus 1–3 private commits under \`private/\` ($behind_range commits behind)."
  echo "The fleet file names each mirror by its URL on the local forge (\`bench/fleet-forge.ts\`, the tests' fake forge:"
  echo "GitHub's REST shapes, each mirror's \`mirror-sync-down.yml\` runs and pull requests), which git fetches from the bare"
  echo "repositories through \`url.<base>.insteadOf\`. Both rows in steady state: clones and cache made by an untimed"
  echo "first run, so each run fetches every mirror and the upstream and finds nothing new."
  echo
  echo "| Mirrors | loop (floor) | \`mirror fleet status --jobs $JOBS\` | × loop (min) | per mirror | Peak RSS (node) | Forge requests (per mirror, max) | Same ahead/behind |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in "${SIZES[@]}"; do
    if [[ "${R_STATUS[mirror-$n]:-}" == ok && "${R_STATUS[loop-$n]:-}" == ok ]]; then
      rss="$(mb "${R_RSS[mirror-$n]}")"
      [[ -n "${R_NODE_RSS[mirror-$n]:-}" ]] && rss="$rss ($(mb "${R_NODE_RSS[mirror-$n]}"))"
      ratio="$(awk -v a="${R_MEAN[mirror-$n]}" -v b="${R_MEAN[loop-$n]}" -v c="${R_MIN[mirror-$n]}" -v d="${R_MIN[loop-$n]}" 'BEGIN { printf "%.2f× (%.2f×)", a / b, c / d }')"
      echo "| $n | $(fmt_secs "${R_MEAN[loop-$n]}") | $(fmt_secs "${R_MEAN[mirror-$n]}") | $ratio | $(per "${R_MEAN[mirror-$n]}" "$n") (loop $(per "${R_MEAN[loop-$n]}" "$n")) | $rss | ${REQ_TOTAL[$n]:-?} (${REQ_MAX[$n]:-?}) | ${SAME[$n]:-?} |"
    else
      echo "| $n | ${R_STATUS[loop-$n]:-not run} | ${R_STATUS[mirror-$n]:-not run} | | | | | |"
    fi
  done
  echo
  n="$MAX"
  target_ratio "mirror-$n" "mirror fleet status ≤ 1× the loop at $n mirrors" 1
  target_rss "mirror-$n" "peak RSS < 200 MB at $n mirrors" 200
  if [[ -n "${REQ_MAX[$n]:-}" ]]; then
    if ((REQ_MAX[$n] <= 3)); then echo "- Target at most 3 forge requests per mirror: **met** (${REQ_MAX[$n]})."
    else echo "- Target at most 3 forge requests per mirror: **not met** (${REQ_MAX[$n]})."; fi
  fi
  for n in "${SIZES[@]}"; do
    echo
    echo "### $n mirrors"
    echo
    echo "${TABLE[$n]}"
  done
  echo
  echo "Notes:"
  echo "- The loop does less: git facts only (ahead, behind), no last merge, no forge. mirror also finds each mirror's"
  echo "  last merge from upstream and reads two forge endpoints per mirror (the last sync-down run, the open pull"
  echo "  requests), with the token in \`GH_ENTERPRISE_TOKEN\`. Exit 1 is its verdict (mirrors behind, failed runs)."
  echo "- The loop keeps a bare clone per mirror and fetches the upstream into each; mirror keeps one cache (one object"
  echo "  store, each mirror under \`refs/fleet/<name>/\`). The loop's clones were made by \`git clone\` from a local path,"
  echo "  which links the objects instead of copying them; over a network each would be a full copy."
  echo "- Peak RSS is the largest single process of the tree (node or a git it started); \"(node …)\" is node's own."
  echo "- Forge requests: one more \`fleet status\` run after the timing, counted by the local forge; total over the mirrors"
  echo "  and, in brackets, the most any one mirror got."
  echo
  echo "Commands (in \`bench/.work/fleet/control-N\`, \`GIT_CONFIG_GLOBAL=bench/.work/fleet/gitconfig\`):"
  echo
  echo '```sh'
  echo "bash bench/corpus.sh express     # EXPRESS_GIT=DIR: a local clone of expressjs/express instead of cloning it"
  for n in "${SIZES[@]}"; do
    for key in "loop-$n" "mirror-$n"; do
      [[ -n "${R_CMD[$key]:-}" ]] && show_cmd "${R_CMD[$key]}"
    done
  done
  echo '```'
} >"$RESULTS_DIR/$CASE.md"

exit $failed
