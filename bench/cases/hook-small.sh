#!/usr/bin/env bash
# Typical-push hook case: the hook case (cases/hook.sh, same rows and target:
# mirror guard pre-push <= 4x `node -e 0`) on a developer-sized push, the last
# 20 releases of @types/node (corpus types-node, see corpus.sh): each release
# changes package.json, README.md and one or a few hand-written .d.ts files,
# tens of KB of diff for the 20 commits, where the hook case's 20 MUI releases
# bring 22 MB of new blobs.
# Writes bench/.work/results/hook-small.md.
HOOK_CASE=hook-small HOOK_CORPUS=types-node exec bash "$(dirname "${BASH_SOURCE[0]}")/hook.sh"
