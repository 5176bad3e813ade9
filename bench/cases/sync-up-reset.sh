#!/usr/bin/env bash
# Puts the sync-up case's repositories back in their starting state (hyperfine's
# --prepare for every row of cases/sync-up.sh; untimed):
#
#   bash bench/cases/sync-up-reset.sh MIRROR UPSTREAM FLOOR_WORKTREE
#
# - the mirror's sync-up worktree and run state (under .git/mirror/) and the
#   floor's temporary worktree go, and worktrees are pruned; .git/mirror/'s
#   policy-cache.json stays (mirror's compiled policy, which every run after a
#   repository's first one finds: without it each run compiles the policy
#   again, ~0.4 s here);
# - refs a run made go: the mirror's refs/heads/mirror/sync-up,
#   refs/notes/mirror-sync, refs/mirror/sync-up-replay (if a run stopped with it)
#   and refs/remotes/upstream/mirror/sync-up (git push
#   updates the remote-tracking ref; left there, the next run's guard would find
#   the branch's trees and blobs already on upstream and scan nothing), and the
#   upstream's mirror/sync-up branch;
# - objects a run wrote go: every loose object and every pack not in the list
#   written at setup (bench-packs), in both repositories. The setup leaves no
#   loose object, so these are exactly the previous run's commits, trees, notes
#   and received packs, unreachable once the refs above are gone. Without this
#   each run would leave ~1,500 loose objects behind, and git's automatic gc
#   would start repacking in the middle of the timings.
set -euo pipefail
mirror="$1" upstream="$2" floor_wt="$3"
gd="$mirror/.git"

git -C "$mirror" worktree remove --force "$gd/mirror/sync-up-worktree" >/dev/null 2>&1 || true
git -C "$mirror" worktree remove --force "$floor_wt" >/dev/null 2>&1 || true
rm -rf "$floor_wt"
if [[ -d "$gd/mirror" ]]; then
  find "$gd/mirror" -mindepth 1 -maxdepth 1 ! -name policy-cache.json -exec rm -rf {} +
fi
git -C "$mirror" worktree prune

# (refs/mirror/sync-up-replay: where a build that replays with fast-import writes before verifying; normally gone)
for ref in refs/heads/mirror/sync-up refs/notes/mirror-sync refs/remotes/upstream/mirror/sync-up refs/mirror/sync-up-replay; do
  git -C "$mirror" update-ref -d "$ref" >/dev/null 2>&1 || true
done
git -C "$upstream" update-ref -d refs/heads/mirror/sync-up >/dev/null 2>&1 || true

for objects in "$gd/objects" "$upstream/objects"; do
  list="$objects/../bench-packs"
  [[ -f "$list" ]] || { echo "sync-up-reset: no $list (run the setup in cases/sync-up.sh)" >&2; exit 1; }
  rm -rf "$objects"/[0-9a-f][0-9a-f]
  for f in "$objects"/pack/*; do
    [[ -e "$f" ]] || continue
    grep -qxF "${f##*/}" "$list" || rm -f "$f"
  done
  # a baseline pack gone (an automatic gc repacked) would leave the repository broken
  while IFS= read -r p; do
    [[ -e "$objects/pack/$p" ]] || { echo "sync-up-reset: $objects/pack/$p is gone; rebuild with cases/sync-up.sh" >&2; exit 1; }
  done <"$list"
done
