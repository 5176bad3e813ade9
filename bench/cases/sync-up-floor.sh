#!/usr/bin/env bash
# The sync-up case's floor: what replaying the public commits costs with git
# alone, a temporary worktree off upstream/main, one `git cherry-pick` of the
# commits, and the worktree removed:
#
#   bash bench/cases/sync-up-floor.sh MIRROR IDS_FILE WORKTREE
#
# IDS_FILE holds the public commits' ids, oldest first, one a line. With
# BENCH_FLOOR_COUNT=FILE (only in the harness's untimed check runs), the number
# of commits the pick made and the resulting tree are written to FILE before the
# worktree goes.
set -euo pipefail
mirror="$1" ids="$2" wt="$3"
mapfile -t commits <"$ids"
git -C "$mirror" worktree add --quiet --detach "$wt" upstream/main
git -C "$wt" cherry-pick "${commits[@]}" >/dev/null
if [[ -n "${BENCH_FLOOR_COUNT:-}" ]]; then
  echo "$(git -C "$wt" rev-list --count upstream/main..HEAD) $(git -C "$wt" rev-parse 'HEAD^{tree}')" >"$BENCH_FLOOR_COUNT"
fi
git -C "$mirror" worktree remove --force "$wt"
