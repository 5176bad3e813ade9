#!/usr/bin/env bash
# Builds a benchmark corpus: a real project's history, made without GitHub.
#
# The benchmark network reaches only the npm registry, so a "real repository"
# is the published history of an npm package: every stable release in a pinned
# range, taken from the registry tarball and committed in semver order, one
# commit per release. Author and committer date are the release's publish time
# as the registry reports it (`npm view <pkg> time --json`), the identity is
# fixed, the tree is exactly the tarball's content, and git runs without
# user/system config; so the repository, and its HEAD id, are identical on every
# run and machine. (The registry reachable here reports, for most releases
# before 2025, times clustered in December 2024 rather than the original dates,
# so commit dates go backwards along the histories; git and the scanners don't
# mind, and the dates are pinned like everything else.)
#
# Two corpora (NAME: package, range):
#
# mui-material: @mui/material 5.0.0..9.5.0, 215 releases. The main corpus (the
# hook, history and sync-up cases). The history must be big enough to time a
# history scan against `git log -p`. Tried first, with the same script:
#   eslint 4.0.0..10.15.0  242 releases  git log -p = 21 MB (0.7 s)
#   webpack 5.0.0..5.112.2 223 releases  git log -p = 81 MB (1.7 s)
# Both publish little more than their lib/, so releases differ by little. MUI
# publishes ~2,700 files (components in several builds plus hand-written .d.ts),
# a weekly release changes about 1 MB of them, and the majors 6, 7 and 9 rewrite
# much more: a few hundred MB of history from a 1.5 MB tarball per release.
#
# types-node: @types/node 20.16.0..20.19.43, 119 consecutive releases of the
# 20.x line (hook-small case). Its releases are what a developer pushes: one or
# a few hand-written .d.ts files changed, a few to a few hundred lines, so 20
# commits are tens to hundreds of KB of diff, not MUI's 10 MB.
#
# express: expressjs/express's own git history (master up to a pinned commit,
# 6,158 commits since 2009), for the fleet case: many mirrors of one upstream.
# Not an npm package: its source is a git repository, taken from EXPRESS_GIT (a
# local clone, bare or not) or else cloned once into bench/.work/cache/express.git
# with `git clone --bare https://github.com/expressjs/express` (the benchmark
# only; no test fetches it). The corpus is a bare repository whose main is the
# pinned commit (EXPRESS_COMMIT below), so it is the same from any newer clone.
#
# A corpus's release list (version, publish time, sha512 integrity) is pinned in
# bench/corpus/<NAME>-releases.tsv so that a change on the registry's side can
# not silently change it: a tarball whose integrity differs is refused.
#
# Usage:
#   bash bench/corpus.sh [NAME]            build (or reuse) bench/.work/corpus/NAME
#                                          (default mui-material), print its facts
#   bash bench/corpus.sh [NAME] --verify   also build a second copy from scratch and compare HEAD ids
#   bash bench/corpus.sh [NAME] --pin      re-derive the pinned list from the registry (maintainers
#                                          only; then update its EXPECTED_HEAD below)
#
# Idempotent: tarballs are cached in bench/.work/cache/NAME/, and the built
# repository carries a stamp of the recipe; an unchanged recipe is not rebuilt.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NAME="$CORPUS_NAME"
if [[ $# -gt 0 && "$1" != --* ]]; then NAME="$1"; shift; fi
[[ -n "${CORPUS_PKGS[$NAME]:-}" ]] || die "no such corpus: $NAME (known: ${!CORPUS_PKGS[*]})"
PKG="${CORPUS_PKGS[$NAME]}"  # npm pack names the tarball $NAME-$VERSION.tgz
# Per corpus: the range (inclusive; stable x.y.z releases in semver order), and
# the HEAD of the corpus built from the pinned list (a different id means the
# corpus is not the one the published figures were measured on).
case "$NAME" in
  mui-material)
    PIN_FROM=5.0.0; PIN_TO=9.5.0
    EXPECTED_HEAD=1c6002f83e5056f6d70d712a705043a41184a2e7 ;;
  types-node)
    PIN_FROM=20.16.0; PIN_TO=20.19.43
    EXPECTED_HEAD=5370865c0aabb7b2efcbf04c8a360253d9418c73 ;;
esac
RELEASES="$BENCH_DIR/corpus/$NAME-releases.tsv"
CACHE="$WORK/cache/$NAME"
CORPUS_DIR="$(corpus_dir "$NAME")"
CORPUS_FACTS="$(corpus_facts "$NAME")"
# Bump when the way a commit is made changes (message, identity, layout).
RECIPE_VERSION=3
AUTHOR_NAME="npm registry release"
AUTHOR_EMAIL="releases@$NAME.npm.invalid"

# --- pinning (maintainers) ---------------------------------------------------
pin() {
  mkdir -p "$CACHE" "$(dirname "$RELEASES")"
  log "reading $PKG's publish times from the registry"
  local times; times="$(mktemp)"
  npm view "$PKG" time --json 2>/dev/null >"$times"
  # Stable x.y.z releases only, in semver order, within [PIN_FROM, PIN_TO].
  local versions
  versions="$(node -e '
    const t = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const key = v => v.split(".").map(Number);
    const cmp = (a, b) => { const x = key(a), y = key(b); for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; };
    const [from, to] = process.argv.slice(2);
    const vs = Object.keys(t).filter(v => /^\d+\.\d+\.\d+$/.test(v)).filter(v => cmp(v, from) >= 0 && cmp(v, to) <= 0).sort(cmp);
    for (const v of vs) console.log(v + "\t" + t[v].replace(/\.\d+/, "").replace(/Z$/, "+00:00"));
  ' "$times" "$PIN_FROM" "$PIN_TO")"
  rm -f "$times"
  local vlist=()
  mapfile -t vlist < <(cut -f1 <<<"$versions")
  download_missing "${vlist[@]}"
  {
    printf '# %s releases %s..%s from the npm registry: version, publish time (registry), tarball integrity\n' "$PKG" "$PIN_FROM" "$PIN_TO"
    printf '# generated by `bash bench/corpus.sh %s --pin`; do not edit by hand\n' "$NAME"
    while IFS=$'\t' read -r v published; do
      fetch_tarball "$v" ""
      printf '%s\t%s\t%s\n' "$v" "$published" "$(integrity_of "$CACHE/$NAME-$v.tgz")"
    done <<<"$versions"
  } >"$RELEASES.tmp"
  mv "$RELEASES.tmp" "$RELEASES"
  log "pinned $(grep -vc '^#' "$RELEASES") releases in $RELEASES"
}

# --- tarballs ----------------------------------------------------------------
integrity_of() { printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }

# fetch_tarball VERSION EXPECTED_INTEGRITY: download with npm's own client (it
# checks the registry's integrity too) unless a cached copy already matches.
fetch_tarball() {
  local v="$1" want="$2" f="$CACHE/$NAME-$1.tgz"
  if [[ -s "$f" && ( -z "$want" || "$(integrity_of "$f")" == "$want" ) ]]; then return 0; fi
  rm -f "$f"
  (cd "$CACHE" && npm pack "$PKG@$v" --silent >/dev/null 2>&1) || die "npm pack $PKG@$v failed"
  [[ -s "$f" ]] || die "npm pack $PKG@$v produced no $f"
  if [[ -n "$want" && "$(integrity_of "$f")" != "$want" ]]; then
    die "$PKG@$v: tarball integrity differs from the pinned one (registry changed?)"
  fi
}

read_releases() { grep -v '^#' "$RELEASES"; }

# download_missing VERSION...: fetch the tarballs not yet in the cache.
download_missing() {
  mkdir -p "$CACHE"
  local v missing=()
  for v in "$@"; do
    if [[ ! -s "$CACHE/$NAME-$v.tgz" ]]; then missing+=("$PKG@$v"); fi
  done
  if ((${#missing[@]})); then
    log "downloading ${#missing[@]} tarballs with npm pack"
    # One npm process per batch: npm's start-up dominates a one-by-one loop.
    local i
    for ((i = 0; i < ${#missing[@]}; i += 40)); do
      (cd "$CACHE" && npm pack "${missing[@]:i:40}" --silent >/dev/null 2>&1) || die "npm pack failed"
    done
  fi
}

fetch_all() {
  local v published integrity vlist=()
  mapfile -t vlist < <(read_releases | cut -f1)
  download_missing "${vlist[@]}"
  # Verify every tarball against the pin (re-fetches a corrupt one once).
  while IFS=$'\t' read -r v published integrity; do
    fetch_tarball "$v" "$integrity"
  done < <(read_releases)
}

# --- building ----------------------------------------------------------------
stamp() { { cat "$RELEASES"; echo "recipe=$RECIPE_VERSION"; } | sha256sum | cut -d' ' -f1; }

# build DIR: make the repository from scratch in DIR (removed first).
build() {
  local dir="$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  hgit init -q -b main "$dir"
  # One commit per release, streamed straight from the tarballs (see
  # corpus-import.py for why not tar + git add). Dates become git's raw format.
  local v published integrity
  while IFS=$'\t' read -r v published integrity; do
    printf '%s\t%s\t%s\t%s\n' "$CACHE/$NAME-$v.tgz" "$v" "$(date -u -d "$published" '+%s +0000')" "$integrity"
  done < <(read_releases) \
    | python3 "$BENCH_DIR/corpus-import.py" "$PKG" "$AUTHOR_NAME" "$AUTHOR_EMAIL" \
    | hgit -C "$dir" fast-import --quiet --done
  # A real clone is one pack with proper deltas (fast-import's own are poor:
  # 142 MB vs 14 MB here, and `git log -p` reads a pack at very different
  # speeds). -f recomputes the deltas as a server's repack would.
  hgit -C "$dir" repack -a -d -f -q
  # Check out HEAD: secretlint scans a work tree, and `scan --history` runs in one.
  hgit -C "$dir" checkout -q -f main
}

# --- facts -------------------------------------------------------------------
facts() {
  local dir="$1" t0 logp_bytes logp_secs
  local commits blobs blob_bytes trees pack_bytes head_files head_bytes
  commits="$(hgit -C "$dir" rev-list --count --all)"
  read -r blobs blob_bytes trees < <(hgit -C "$dir" rev-list --objects --all | cut -d' ' -f1 \
    | hgit -C "$dir" cat-file --batch-check='%(objecttype) %(objectsize)' \
    | awk '$1 == "blob" { b++; s += $2 } $1 == "tree" { t++ } END { print b, s, t }')
  pack_bytes="$(du -sb "$dir/.git/objects" | cut -f1)"
  read -r head_files head_bytes < <(hgit -C "$dir" ls-tree -r -l HEAD | awk '{ n++; s += $4 } END { print n, s }')
  t0="$(now)"
  logp_bytes="$(hgit -C "$dir" log -p --all | wc -c)"
  logp_secs="$(elapsed "$t0")"
  cat <<EOF
corpus_package=$PKG
corpus_first=$(read_releases | head -1 | cut -f1)
corpus_last=$(read_releases | tail -1 | cut -f1)
corpus_head=$(hgit -C "$dir" rev-parse HEAD)
corpus_commits=$commits
corpus_blobs=$blobs
corpus_blob_bytes=$blob_bytes
corpus_trees=$trees
corpus_git_dir_bytes=$pack_bytes
corpus_head_files=$head_files
corpus_head_bytes=$head_bytes
corpus_log_p_bytes=$logp_bytes
corpus_log_p_seconds=$logp_secs
EOF
}

print_facts() {
  # shellcheck disable=SC1090
  source "$CORPUS_FACTS"
  cat >&2 <<EOF
[bench] corpus: $corpus_package $corpus_first..$corpus_last in $CORPUS_DIR
[bench]   HEAD                $corpus_head
[bench]   commits             $corpus_commits
[bench]   blobs               $corpus_blobs (distinct), $(mb $((corpus_blob_bytes / 1024))) uncompressed
[bench]   trees               $corpus_trees
[bench]   .git/objects        $(mb $((corpus_git_dir_bytes / 1024))) (packed)
[bench]   HEAD checkout       $corpus_head_files files, $(mb $((corpus_head_bytes / 1024)))
[bench]   git log -p --all    $(mb $((corpus_log_p_bytes / 1024))) of output, ${corpus_log_p_seconds}s (one cold-ish run)
EOF
}

check_head() {
  local head="$1"
  if [[ -n "$EXPECTED_HEAD" && "$head" != "$EXPECTED_HEAD" ]]; then
    die "corpus HEAD is $head, expected $EXPECTED_HEAD: the corpus is not the pinned one"
  fi
}

# --- express: a git history, not npm releases ---------------------------------
EXPRESS_COMMIT=a3714473feb3d2908add734d340e7755fd85e0a3   # master of 2026-07-27
git_corpus() {
  local t0; t0="$(now)"
  local src="${EXPRESS_GIT:-$WORK/cache/express.git}"
  if [[ "$(hgit --git-dir="$CORPUS_DIR" rev-parse -q --verify refs/heads/main 2>/dev/null)" == "$EXPRESS_COMMIT" && -f "$CORPUS_FACTS" ]]; then
    log "corpus up to date ($CORPUS_DIR)"
  else
    if [[ -z "${EXPRESS_GIT:-}" && ! -d "$src" ]]; then
      log "cloning https://github.com/expressjs/express (once; set EXPRESS_GIT=DIR to use a local copy instead)"
      mkdir -p "$WORK/cache"
      hgit clone -q --bare https://github.com/expressjs/express "$src.tmp" && mv "$src.tmp" "$src"
    fi
    [[ -d "$src" ]] || die "EXPRESS_GIT=$src: no such repository"
    rm -rf "$CORPUS_DIR.tmp"
    hgit init -q --bare -b main "$CORPUS_DIR.tmp"
    hgit --git-dir="$CORPUS_DIR.tmp" fetch -q --no-tags "$src" "+refs/heads/master:refs/bench/master"
    hgit --git-dir="$CORPUS_DIR.tmp" merge-base --is-ancestor "$EXPRESS_COMMIT" refs/bench/master 2>/dev/null \
      || die "$src: master does not contain the pinned commit $EXPRESS_COMMIT"
    hgit --git-dir="$CORPUS_DIR.tmp" update-ref refs/heads/main "$EXPRESS_COMMIT"
    hgit --git-dir="$CORPUS_DIR.tmp" update-ref -d refs/bench/master
    hgit --git-dir="$CORPUS_DIR.tmp" repack -a -d -q
    hgit --git-dir="$CORPUS_DIR.tmp" prune
    rm -rf "$CORPUS_DIR"
    mv "$CORPUS_DIR.tmp" "$CORPUS_DIR"
    local g=(hgit --git-dir="$CORPUS_DIR") blobs blob_bytes trees head_files head_bytes
    read -r blobs blob_bytes trees < <("${g[@]}" rev-list --objects --all | cut -d' ' -f1 \
      | "${g[@]}" cat-file --batch-check='%(objecttype) %(objectsize)' \
      | awk '$1 == "blob" { b++; s += $2 } $1 == "tree" { t++ } END { print b, s, t }')
    read -r head_files head_bytes < <("${g[@]}" ls-tree -r -l main | awk '{ n++; s += $4 } END { print n, s }')
    cat >"$CORPUS_FACTS" <<FACTS
corpus_package=$PKG
corpus_first=$("${g[@]}" log --reverse --format=%h main | head -1)
corpus_last=$("${g[@]}" rev-parse --short main)
corpus_head=$EXPRESS_COMMIT
corpus_commits=$("${g[@]}" rev-list --count main)
corpus_blobs=$blobs
corpus_blob_bytes=$blob_bytes
corpus_trees=$trees
corpus_git_dir_bytes=$(du -sb "$CORPUS_DIR/objects" | cut -f1)
corpus_head_files=$head_files
corpus_head_bytes=$head_bytes
corpus_log_p_bytes=$("${g[@]}" log -p main | wc -c)
corpus_log_p_seconds=–
FACTS
    log "corpus built in $(elapsed "$t0")s"
  fi
  print_facts
}

main() {
  [[ "$NAME" == express ]] && { git_corpus; exit 0; }
  local mode="${1:-build}"
  case "$mode" in
    --pin) pin; exit 0 ;;
    build|--verify) ;;
    *) die "usage: bash bench/corpus.sh [NAME] [--verify|--pin]" ;;
  esac
  [[ -f "$RELEASES" ]] || die "$RELEASES is missing (run with --pin to create it)"
  local t0; t0="$(now)"
  fetch_all
  local want; want="$(stamp)"
  if [[ -d "$CORPUS_DIR/.git" && "$(cat "$CORPUS_DIR/.git/bench-stamp" 2>/dev/null)" == "$want" && -f "$CORPUS_FACTS" ]]; then
    log "corpus up to date ($CORPUS_DIR)"
  else
    log "building the corpus: $(read_releases | wc -l) releases of $PKG"
    # Build beside the target and swap, so an interrupted build never leaves a
    # half-made corpus that a later run would take for a finished one.
    build "$CORPUS_DIR.tmp"
    echo "$want" >"$CORPUS_DIR.tmp/.git/bench-stamp"
    rm -rf "$CORPUS_DIR"
    mv "$CORPUS_DIR.tmp" "$CORPUS_DIR"
    facts "$CORPUS_DIR" >"$CORPUS_FACTS"
    log "corpus built in $(elapsed "$t0")s"
  fi
  check_head "$(hgit -C "$CORPUS_DIR" rev-parse HEAD)"
  print_facts
  if [[ "$mode" == --verify ]]; then
    log "verifying determinism: building a second copy from the same tarballs"
    local other="$WORK/corpus/verify-$NAME"
    build "$other"
    local a b
    a="$(hgit -C "$CORPUS_DIR" rev-parse HEAD)"
    b="$(hgit -C "$other" rev-parse HEAD)"
    rm -rf "$other"
    [[ "$a" == "$b" ]] || die "not deterministic: HEAD $a vs $b"
    log "deterministic: both builds have HEAD $a"
  fi
}

main "$@"
