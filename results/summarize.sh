#!/usr/bin/env bash
# The results table (markdown) from results/*/metrics.csv: the last evaluation of every run.
#   bash results/summarize.sh           prints it
#   bash results/summarize.sh --write   writes it into README.md and results/README.md, in place of the
#                                       table that follows the marker line below in each file
#   bash results/summarize.sh --check   exits 1 when the table in either file differs from the metrics
#                                       (cli's ResultsTableTest runs this in mvn verify)
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C   # the order of the runs and the number format do not depend on the locale
MARKER='<!-- results table: written by bash results/summarize.sh --write -->'
FILES=(../README.md README.md)   # as seen from results/; named from the repository root in messages

table() {
  echo "| run | steps done / planned | test loss | test accuracy | test RMSE | examples | wall time (s, this machine) |"
  echo "|---|---|---|---|---|---|---|"
  for d in */; do
    d="${d%/}"
    [[ -f "$d/metrics.csv" ]] || continue
    planned=$(sed -n 's/.*--steps \([0-9]*\).*/\1/p' "$d/command.txt")
    awk -F, -v run="$d" -v planned="$planned" '
      $1 == "eval" { loss = $4; acc = $5; rmse = $6; ex = $9; step = $2 }
      $1 == "train" || $1 == "eval" { secs = $10 }
      END {
        if (step == "") { printf("| %s | no evaluation yet | | | | | |\n", run); exit }
        printf("| %s | %s / %s | %.5f | %s | %s | %s | %s |\n", run, step, planned, loss,
          acc == "" ? "" : sprintf("%.2f%%", 100 * acc), rmse == "" ? "" : sprintf("%.4f", rmse), ex, secs)
      }' "$d/metrics.csv"
  done
}

name() {   # a file of FILES as named from the repository root
  case "$1" in ../*) echo "${1#../}" ;; *) echo "results/$1" ;; esac
}

has_marker() {
  grep -qxF -- "$MARKER" "$1" || { echo "summarize.sh: $(name "$1") has no line $MARKER" >&2; return 1; }
}

recorded() {   # the table lines (starting with |) right after the marker in file $1
  awk -v m="$MARKER" 'on && /^\|/ { print; next } on { exit } $0 == m { on = 1 }' "$1"
}

mode="${1:-}"
case "$mode" in
  "") table ;;
  --write)
    tmp=$(mktemp)
    trap 'rm -f "$tmp" "$tmp.new"' EXIT
    table > "$tmp"
    for f in "${FILES[@]}"; do has_marker "$f"; done   # both or neither
    for f in "${FILES[@]}"; do
      awk -v m="$MARKER" -v tf="$tmp" '
        skip && /^\|/ { next }
        { skip = 0; print }
        $0 == m { while ((getline line < tf) > 0) print line; close(tf); skip = 1 }' "$f" > "$tmp.new"
      # rewrite in place (cat, not mv), so the file keeps its mode and links
      cmp -s "$tmp.new" "$f" || { cat "$tmp.new" > "$f"; echo "summarize.sh: wrote the table into $(name "$f")"; }
    done ;;
  --check)
    want=$(table)
    bad=0
    for f in "${FILES[@]}"; do
      has_marker "$f" || { bad=1; continue; }
      got=$(recorded "$f")
      if [[ "$got" != "$want" ]]; then
        echo "summarize.sh: the table in $(name "$f") differs from results/*/metrics.csv" \
          "(bash results/summarize.sh --write rewrites it; < in the file, > from the metrics):" >&2
        diff <(echo "$got") <(echo "$want") | sed -n 's/^[<>]/  &/p' >&2 || true
        bad=1
      fi
    done
    exit "$bad" ;;
  *) echo "summarize.sh: the argument must be --write or --check (or none, to print the table), got $mode" >&2
     exit 2 ;;
esac
