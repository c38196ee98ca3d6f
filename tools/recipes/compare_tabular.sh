#!/usr/bin/env bash
# Side by side on the same rows: nabla's tabular recipe and scikit-learn's MLPClassifier with its defaults, as
# docs/recipes.md reports them. For each seed, scikit-learn's stratified 80/20 split of DATA.csv is written out; nabla
# trains on the 80% with its recipe (only --data, --seed, and --test 0 so the rows it learns from are scikit-learn's)
# and is evaluated on the 20%; MLPClassifier(random_state=seed) is fitted and scored on the same rows.
#   tools/recipes/compare_tabular.sh DATA.csv [SEEDS]      (needs /usr/bin/python3 with python3-sklearn)
# NABLA_ARGS adds options to nabla train (to try a variant of the recipe). INIT_SEED_OFFSET=N keeps the splits but seeds
# both models with seed+N (nabla's --seed, scikit-learn's random_state), to see how much of a mean is the seeds' luck.
# SEED_START=N runs seeds N .. N+SEEDS-1 (more splits after a first batch).
# SKLEARN_INIT=1 starts nabla from the very weights scikit-learn draws (tools/recipes/sklearn_init.py), for NABLA_ARGS
# that spell out scikit-learn's network (--layers 100 --activation relu --loss cross-entropy ...).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:?usage: tools/recipes/compare_tabular.sh DATA.csv [SEEDS]}
seeds=${2:-10}
nabla=${NABLA:-"dotnet $root/src/Nabla.Cli/bin/Release/net10.0/Nabla.Cli.dll"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
first=${SEED_START:-0}
for ((seed = first; seed < first + seeds; seed++)); do
  /usr/bin/python3 - "$data" "$seed" "$work" <<'PY'
import csv, sys
from sklearn.model_selection import train_test_split
data, seed, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(data) as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
labels = [r[-1] for r in rows]
train, test = train_test_split(rows, test_size=0.2, stratify=labels, random_state=seed)
for name, part in (("train", train), ("test", test)):
    with open(f"{work}/{name}.csv", "w", newline="") as f:
        csv.writer(f).writerows([header, *part])
PY
  init=$((seed + ${INIT_SEED_OFFSET:-0}))
  sk=$(/usr/bin/python3 - "$work" "$init" <<'PY'
import sys, warnings
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
work, seed = sys.argv[1], int(sys.argv[2])
def load(name):
    rows = np.genfromtxt(f"{work}/{name}.csv", delimiter=",", dtype=str, skip_header=1)
    return rows[:, :-1].astype(float), rows[:, -1]
X, y = load("train"); Xt, yt = load("test")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    print(f"{MLPClassifier(random_state=seed).fit(X, y).score(Xt, yt):.4f}")
PY
)
  start=()
  if [[ ${SKLEARN_INIT:-0} == 1 ]]; then
    $nabla train --data "$work/train.csv" --test 0 --validation 0 --layers 100 --activation relu --loss cross-entropy --epochs 1 --out "$work/template" >/dev/null
    /usr/bin/python3 "$root/tools/recipes/sklearn_init.py" "$work/train.csv" "$init" "$work/template/model.safetensors" "$work/init.safetensors"
    start=(--init-from "$work/init.safetensors")
  fi
  # shellcheck disable=SC2086
  $nabla train --data "$work/train.csv" --test 0 --seed "$init" ${NABLA_ARGS:-} "${start[@]}" --out "$work/run" >/dev/null
  nb=$($nabla evaluate --model "$work/run/model.safetensors" --data "$work/test.csv" --json | /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(sys.stdin)["accuracy"])')
  echo "seed $seed  nabla $nb  sklearn $sk"
done | tee "$work/results"
awk '{n += $4; s += $6; nn += $4*$4; ss += $6*$6; c++} END {printf "mean over %d seeds: nabla %.4f (std %.4f)  sklearn %.4f (std %.4f)\n", c, n/c, sqrt(nn/c-(n/c)^2), s/c, sqrt(ss/c-(s/c)^2)}' "$work/results"
