#!/usr/bin/env bash
# The loop a user would script instead of `mirror fleet status` (the fleet case's
# floor): for each mirror, a clone of its own, fetched from the mirror and from
# the upstream, then one `git rev-list --left-right --count` for ahead and behind
# (both ways in one process: the quicker of the obvious spellings). One mirror
# after the other, as a for loop runs them.
#
#   bash bench/cases/fleet-loop.sh LIST CLONES UPSTREAM_URL [BRANCH]
#
# LIST: one `name url` line per mirror. CLONES: where the clones live (`NAME.git`,
# bare; made on the first run and only fetched afterwards, as a user's script
# would keep them). Prints `name ahead behind` per mirror, `name unreachable` when
# a fetch fails; exits 0.
set -uo pipefail
list="$1" clones="$2" upstream="$3" branch="${4:-main}"
mkdir -p "$clones"
while read -r name url; do
  c="$clones/$name.git"
  if [[ ! -d "$c" ]]; then
    git clone -q --bare "$url" "$c" 2>/dev/null || { echo "$name unreachable"; continue; }
  fi
  if ! git -C "$c" fetch -q --no-tags "$url" "+refs/heads/$branch:refs/remotes/origin/$branch" 2>/dev/null; then
    echo "$name unreachable"
    continue
  fi
  git -C "$c" fetch -q --no-tags "$upstream" "+refs/heads/$branch:refs/remotes/upstream/$branch"
  read -r ahead behind < <(git -C "$c" rev-list --left-right --count "origin/$branch...upstream/$branch")
  echo "$name $ahead $behind"
done <"$list"
