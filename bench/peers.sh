#!/usr/bin/env bash
# Installs the measuring tools and the peers, reproducibly, or says they are there.
#
#   Debian:  hyperfine (timings), time (GNU /usr/bin/time -v for peak RSS),
#            jq (reads hyperfine's JSON), git-secrets (peer)
#   npm:     secretlint 11.7.1 + @secretlint/secretlint-rule-preset-recommend 11.7.1,
#            pinned with a lock file in bench/peers/ and installed with
#            `npm ci --prefix bench/.work/peers` (12+ needs Node 22; we run on 20)
#
# Idempotent: an installed tool is not reinstalled; the npm install is redone
# only when bench/peers/package-lock.json changed.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian package for each command we need.
declare -A DEB=([hyperfine]=hyperfine [/usr/bin/time]=time [jq]=jq [git-secrets]=git-secrets [python3]=python3)

missing=()
for cmd in "${!DEB[@]}"; do
  if command -v "$cmd" >/dev/null 2>&1; then
    continue
  fi
  missing+=("${DEB[$cmd]}")
done
if ((${#missing[@]})); then
  log "installing from Debian (missing): ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then die "need root for apt-get install ${missing[*]}"; fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "Debian tools present: hyperfine, time, jq, git-secrets, python3"
fi

# secretlint, from the committed lock file.
mkdir -p "$PEERS_DIR"
if [[ -x "$SECRETLINT" ]] && cmp -s "$BENCH_DIR/peers/package-lock.json" "$PEERS_DIR/package-lock.json"; then
  log "secretlint present ($("$SECRETLINT" --version))"
else
  log "installing secretlint with npm ci --prefix $PEERS_DIR"
  cp "$BENCH_DIR/peers/package.json" "$BENCH_DIR/peers/package-lock.json" "$PEERS_DIR/"
  npm ci --prefix "$PEERS_DIR" --no-audit --no-fund --loglevel=error >/dev/null
  log "secretlint $("$SECRETLINT" --version) installed"
fi

# Versions, for results.md.
{
  echo "hyperfine_version=$(hyperfine --version | awk '{ print $2 }')"
  echo "git_secrets_version=$(dpkg-query -W -f '${Version}' git-secrets 2>/dev/null || echo unknown)"
  echo "secretlint_version=$("$SECRETLINT" --version)"
  echo "secretlint_preset_version=$(node -p "require('$PEERS_DIR/node_modules/@secretlint/secretlint-rule-preset-recommend/package.json').version")"
} >"$WORK/peers.facts"
