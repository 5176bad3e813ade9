#!/usr/bin/env bash
# History case: scan a repository's whole history, as when adopting a scanner
# or auditing a mirror before it goes public.
#
# All rows run in one scratch clone of the corpus (objects hard-linked, so the
# same pack), which keeps the corpus itself free of any tool's configuration:
#   - git log -p --all > /dev/null: the floor, git itself producing every diff
#     of the history, which a diff-based scanner must at least read
#     (target: mirror scan --history <= 1.5x this);
#   - mirror scan --history;
#   - git-secrets --scan-history, with its --register-aws patterns;
#   - secretlint "**/*" over the checkout of HEAD: secretlint has no history
#     mode, so it sees only the last release's files (far less work).
# Writes bench/.work/results/history.md (a fragment of results.md).

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CASE=history
DIR="$WORK/history"
CLONE="$DIR/clone"
[[ -f "$CORPUS_FACTS" ]] || die "no corpus: run bash bench/corpus.sh first"
# shellcheck disable=SC1090
source "$CORPUS_FACTS"

rm -rf "$DIR"
mkdir -p "$DIR"
git clone -q "$CORPUS_DIR" "$CLONE"
git -C "$CLONE" secrets --register-aws >/dev/null

row gitlog floor '`git log -p --all`' "git log -p --all > /dev/null" "0"
slow gitlog
if mirror_has_command scan; then
  row mirror mirror '`mirror scan --history`' "$NODE_BIN $MIRROR_JS scan --history" "0 1" count_mirror
  slow mirror
else
  skip_row mirror mirror '`mirror scan --history`' "not available (\`node bin/run.js scan --help\` fails: not built yet)"
fi
row gitsecrets peer '`git secrets --scan-history`' "git secrets --scan-history" "0 1" count_git_secrets
slow gitsecrets
row secretlint peer 'secretlint `**/*` (checkout of HEAD only)' "$SECRETLINT --secretlintrc $SECRETLINTRC '**/*'" "0 1" count_secretlint
slow secretlint

failed=0
measure_case "$CASE" "$CLONE" || failed=1

{
  echo "## History case: the whole history"
  echo
  echo "All $corpus_commits commits of the corpus, every ref (\`--all\`), in a scratch clone (same pack, hard-linked)."
  echo "\`git log -p --all\` prints $(mb $((corpus_log_p_bytes / 1024))) for it; the HEAD checkout is $corpus_head_files files, $(mb $((corpus_head_bytes / 1024)))."
  echo
  render_case "$CASE"
  echo
  target_ratio mirror "mirror ≤ 1.5× \`git log -p --all\`" 1.5
  target_rss mirror "mirror peak RSS < 150 MB" 150
  echo
  echo "Notes:"
  if [[ -s "$LOGS_DIR/$CASE-mirror.log.json" ]]; then
    echo "- mirror reported scanning $(jq -r '.stats | "\(.commits) commits, \(.blobs) blobs (\(.bytes / 1048576 * 10 | round / 10) MiB), \(.messages) messages"' "$LOGS_DIR/$CASE-mirror.log.json" 2>/dev/null || echo '?');"
    echo "  its findings: $(jq -r '[.violations[] | "\(.type) \(.finding.ruleId // "") in \(.location.path // "?")"] | group_by(.) | map("\(length)× \(.[0])") | join("; ") | if . == "" then "none" else . end' "$LOGS_DIR/$CASE-mirror.log.json" 2>/dev/null || echo '?')."
  fi
  echo "- The floor is plain \`git log -p --all\` (with git's default rename detection; git warns that this history has"
  echo "  too many files for exhaustive rename detection, and skips it)."
  echo "- \`git secrets --scan-history\` first runs \`git log --all -G<its patterns>\` to find the commits whose diffs match,"
  echo "  then \`git grep\`s those commits' whole trees."
  echo "- **secretlint has no history mode**: its row scans only the files of HEAD's checkout, a fraction of what the"
  echo "  other rows read; it is there to show a file scanner's speed on the same code, not as a history scan."
  echo
  echo "Commands (in \`bench/.work/history/clone\`):"
  echo
  echo '```sh'
  for key in "${ROWS[@]}"; do
    [[ -n "${R_CMD[$key]}" ]] && show_cmd "${R_CMD[$key]}"
  done
  echo '```'
} >"$RESULTS_DIR/$CASE.md"

exit $failed
