#!/usr/bin/env bash
# Prints the results table (markdown) from results/*/metrics.csv: the last evaluation of every run.
set -euo pipefail
cd "$(dirname "$0")"
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
