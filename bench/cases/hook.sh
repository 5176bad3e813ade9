#!/usr/bin/env bash
# Hook case: what a developer waits for at `git push`.
#
# A bare remote holds a corpus up to HEAD~20 (refs/heads/main); a clone of it
# has fetched the corpus's last 20 commits and is about to push them. git calls
# the pre-push hook with `<remote> <url>` and one stdin line per ref:
#   refs/heads/main <HEAD> refs/heads/main <HEAD~20>
# Each tool checks those 20 commits, timed one after the other in this run:
#   - node -e 0: the floor, a hook written in Node can't start faster
#     (target: mirror <= 4x this);
#   - mirror guard pre-push, given the same stdin as git gives it;
#   - git-secrets: it has no pre-push hook; the closest it ships is its
#     prepare-commit-msg hook, which scans a range as
#     `git log -p <dest>..<sha> | git secrets --scan -`: we do that for the range;
#   - secretlint: it scans files, so the files the range changed, as at HEAD.
# Writes bench/.work/results/<case>.md (a fragment of results.md) and its JSON.
#
# Parametrized by corpus (environment):
#   HOOK_CASE    the case's name (default hook)
#   HOOK_CORPUS  the corpus (default mui-material, the main corpus: 20 MUI
#                releases, 22 MB of new blobs, far more than a developer pushes)
# cases/hook-small.sh runs this with HOOK_CASE=hook-small HOOK_CORPUS=types-node:
# 20 @types/node releases, each one or a few .d.ts files changed, a typical push.

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CASE="${HOOK_CASE:-hook}"
HOOK_CORPUS="${HOOK_CORPUS:-$CORPUS_NAME}"
RANGE=20
DIR="$WORK/$CASE"
CORPUS_DIR="$(corpus_dir "$HOOK_CORPUS")"
CORPUS_FACTS="$(corpus_facts "$HOOK_CORPUS")"
[[ -f "$CORPUS_FACTS" ]] || die "no corpus $HOOK_CORPUS: run bash bench/corpus.sh $HOOK_CORPUS first"
# shellcheck disable=SC1090
source "$CORPUS_FACTS"
if [[ "$CASE" == hook ]]; then
  TITLE="Hook case: \`pre-push\` of the last $RANGE commits"
else
  TITLE="Typical-push hook case ($CASE): \`pre-push\` of the last $RANGE commits of $corpus_package"
fi

# --- setup: bare remote at HEAD~20, clone with HEAD, git-secrets configured ---
rm -rf "$DIR"
mkdir -p "$DIR"
NEW="$(git -C "$CORPUS_DIR" rev-parse HEAD)"
OLD="$(git -C "$CORPUS_DIR" rev-parse "HEAD~$RANGE")"
REMOTE="$DIR/remote.git"
CLONE="$DIR/clone"
STDIN="$DIR/pre-push.stdin"
git init -q --bare -b main "$REMOTE"
git -C "$CORPUS_DIR" push -q "$REMOTE" "$OLD:refs/heads/main"
git clone -q "$REMOTE" "$CLONE"                       # origin/main = HEAD~20
git -C "$CLONE" fetch -q "$CORPUS_DIR" main
git -C "$CLONE" merge -q --ff-only FETCH_HEAD         # main = HEAD, not pushed yet
[[ "$(git -C "$CLONE" rev-parse HEAD)" == "$NEW" && "$(git -C "$CLONE" rev-parse origin/main)" == "$OLD" ]] \
  || die "hook setup: clone is not at HEAD with origin/main at HEAD~$RANGE"
git -C "$CLONE" secrets --register-aws >/dev/null      # AWS patterns, so git-secrets does real work
printf 'refs/heads/main %s refs/heads/main %s\n' "$NEW" "$OLD" >"$STDIN"

# What the range holds, so a reader can judge the work each tool did.
range_commits="$(git -C "$CLONE" rev-list --count "$OLD..$NEW")"
range_files="$(git -C "$CLONE" diff --name-only "$OLD" "$NEW" | wc -l)"
range_files_head="$(git -C "$CLONE" diff --name-only --diff-filter=d "$OLD" "$NEW" | wc -l)"
range_logp="$(git -C "$CLONE" log -p "$OLD..$NEW" | wc -c)"
read -r new_objects new_blobs new_blob_bytes < <(git -C "$CLONE" rev-list --objects "$NEW" --not --remotes=origin | cut -d' ' -f1 \
  | git -C "$CLONE" cat-file --batch-check='%(objecttype) %(objectsize)' \
  | awk '{ o++ } $1 == "blob" { b++; s += $2 } END { print o, b + 0, s + 0 }')
# secretlint gets the file list on its command line (xargs would turn its exit
# code 1, "found", into 123, indistinguishable from a crash); fine only if no
# name has blanks or glob characters, which secretlint would expand.
if git -C "$CLONE" diff --name-only --diff-filter=d "$OLD" "$NEW" | grep -q '[][[:space:]*?{}()!]'; then
  die "hook: a changed file name has blanks or glob characters; the secretlint row can't pass it as is"
fi

# --- rows --------------------------------------------------------------------
URL="$REMOTE"
row node floor '`node -e 0`' "$NODE_BIN -e 0" "0"
row redirect overhead "stdin redirect (\`true < stdin\`)" "true < $STDIN" "0"
if mirror_has_command guard pre-push; then
  row mirror mirror '`mirror guard pre-push`' "$NODE_BIN $MIRROR_JS guard pre-push origin $URL < $STDIN" "0 1" count_mirror
else
  skip_row mirror mirror '`mirror guard pre-push`' "not available (\`node bin/run.js guard pre-push --help\` fails: not built yet)"
fi
row gitsecrets peer "git-secrets (\`git log -p\` range \| \`--scan -\`)" "git log -p $OLD..$NEW | git secrets --scan -" "0 1" count_git_secrets
row secretlint peer "secretlint (files changed in range)" "$SECRETLINT --secretlintrc $SECRETLINTRC \$(git diff --name-only --diff-filter=d $OLD $NEW)" "0 1" count_secretlint
slow secretlint   # ~20 s a run here: 10 runs, not 20+

failed=0
measure_case "$CASE" "$CLONE" || failed=1

# --- fragment of results.md --------------------------------------------------
{
  echo "## $TITLE"
  echo
  echo "A bare remote holds the $corpus_package corpus ($corpus_first..$corpus_last, one commit per release) up to \`HEAD~$RANGE\`;"
  echo "a clone is about to push the last $RANGE commits"
  echo "(\`${OLD:0:12}..${NEW:0:12}\`: $range_commits commits, $range_files files changed, $range_files_head of them present at HEAD,"
  echo "$new_objects new objects of which $new_blobs blobs = $(human "$new_blob_bytes"), \`git log -p\` of the range = $(human "$range_logp"))."
  echo "Every command runs in the clone; the hook's stdin is \`refs/heads/main <HEAD> refs/heads/main <HEAD~$RANGE>\`."
  echo
  render_case "$CASE"
  echo
  target_ratio mirror "mirror ≤ 4× \`node -e 0\`" 4
  target_rss mirror "mirror peak RSS < 150 MB" 150
  echo
  echo "Notes:"
  if [[ -s "$LOGS_DIR/$CASE-mirror.log.json" ]]; then
    echo "- mirror reported scanning $(jq -r '.stats | "\(.refs) ref, \(.commits) commits, \(.blobs) blobs (\(.bytes / 1048576 * 10 | round / 10) MiB), \(.messages) messages, \(.paths) paths"' "$LOGS_DIR/$CASE-mirror.log.json" 2>/dev/null || echo '?')"
    echo "  toward a remote it classed as $(jq -r '.target.remoteClass // "?"' "$LOGS_DIR/$CASE-mirror.log.json" 2>/dev/null); its findings: $(jq -r '[.violations[] | "\(.type) \(.finding.ruleId // "") in \(.location.path // "?")"] | join("; ") | if . == "" then "none" else . end' "$LOGS_DIR/$CASE-mirror.log.json" 2>/dev/null || echo '?')."
  fi
  echo "- The floor is what any hook written in Node pays before doing anything. hyperfine runs every command through"
  echo "  \`sh -c\` and subtracts the shell's own start-up, so the stdin redirect costs what its row shows (about nothing)."
  echo "- git-secrets has no pre-push hook. The closest it ships is its prepare-commit-msg hook, which checks a merged"
  echo "  range as \`git log -p <dest>..<sha> | git secrets --scan -\`; its row does that for the pushed range, with"
  echo "  \`git secrets --register-aws\` patterns configured in the clone. It reads added and removed lines alike."
  echo "- secretlint has no notion of commits: its row scans the files the range changed, as they are at HEAD (a secret"
  echo "  added and removed inside the range is invisible to it). The time includes listing them with \`git diff\`."
  echo
  echo "Commands (in \`bench/.work/$CASE/clone\`; \`pre-push.stdin\` holds the line above):"
  echo
  echo '```sh'
  for key in "${ROWS[@]}"; do
    [[ -n "${R_CMD[$key]}" ]] && show_cmd "${R_CMD[$key]}"
  done
  echo '```'
} >"$RESULTS_DIR/$CASE.md"

exit $failed
