#!/usr/bin/env bash
# Detection accuracy, mirror and gitleaks side by side, on the labelled examples of gitleaks' and Nosey Parker's
# own rules (see detect-accuracy.mjs for how the corpora are extracted and scored).
#
#   bash bench/detect-accuracy.sh GITLEAKS_CHECKOUT NOSEYPARKER_CHECKOUT
#
# The two arguments are clones (or snapshots) of github.com/gitleaks/gitleaks and
# github.com/praetorian-inc/noseyparker; their HEAD commits are printed with the figures.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# == 2)) || die "usage: bash bench/detect-accuracy.sh GITLEAKS_CHECKOUT NOSEYPARKER_CHECKOUT"
bash "$BENCH_DIR/peers.sh"
GITLEAKS="$PEERS_DIR/node_modules/.bin/gitleaks"
[[ -x $GITLEAKS ]] || die "gitleaks not installed in $PEERS_DIR"
log "gitleaks $("$GITLEAKS" version)"
node "$BENCH_DIR/detect-accuracy.mjs" --gitleaks-repo "$1" --noseyparker-repo "$2" --gitleaks "$GITLEAKS" \
  --mirror "$BENCH_DIR/../bin/run.js" --out "$WORK/accuracy"
