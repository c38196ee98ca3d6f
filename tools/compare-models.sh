#!/usr/bin/env bash
# Trains the same runs with the code of two commits and compares the models' tensors bit for bit
# (metadata may differ). Shows that a refactoring kept every bit:
#   tools/compare-models.sh BASE [NEW]      (NEW defaults to the working tree)
# Needs Debian's dataset-fashion-mnist for the Fashion-MNIST run (skipped with a note otherwise).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${1:?usage: tools/compare-models.sh BASE_COMMIT [NEW_COMMIT]}
new=${2:-}
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; [ -n "$new" ] && git -C "$root" worktree remove --force "$work/new" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

build() { # $1 = source dir, $2 = output dir
  dotnet build "$1/src/Nabla.Cli" -c Release -o "$2" -nologo -v q >/dev/null
}
git -C "$root" worktree add -q --detach "$work/base" "$base"
build "$work/base" "$work/bin-base"
if [ -n "$new" ]; then
  git -C "$root" worktree add -q --detach "$work/new" "$new"
  build "$work/new" "$work/bin-new"
else
  build "$root" "$work/bin-new"
fi

runs=(
  "default|"
  "moons-adam-relu-standard|--data moons --layers 16,8 --activation relu --optimizer adam --learning-rate 0.01 --batch-size 32 --epochs 30 --scale standard"
  "moons-momentum-leaky|--data moons --layers 8 --activation leaky-relu --momentum 0.9 --learning-rate 0.05 --batch-size 16 --epochs 40 --loss cross-entropy"
  "iris-nesterov-sigmoid-minmax|--data iris --layers 16 --activation sigmoid --momentum 0.9 --nesterov --learning-rate 0.1 --batch-size 8 --epochs 60 --scale minmax --loss cross-entropy --test 0.2"
  "iris-adam-decay-early|--data iris --layers 32,16 --activation tanh --optimizer adam --learning-rate 0.01 --weight-decay 0.001 --batch-size 16 --epochs 200 --validation 0.2 --early-stopping 5 --scale standard --init he"
  "spiral-tanh-decay|--data spiral --layers 16,16 --activation tanh --learning-rate 0.1 --momentum 0.9 --weight-decay 0.0001 --batch-size 32 --epochs 50 --init xavier-uniform --loss cross-entropy"
  "spiral-mse|--data spiral --layers 12 --activation relu --loss mse --learning-rate 0.05 --batch-size 64 --epochs 20 --init lecun"
  "fashion-mnist-adam|--data fashion-mnist --layers 64 --activation relu --optimizer adam --learning-rate 0.001 --batch-size 128 --epochs 1 --loss cross-entropy --validation 0.1"
)
status=0
for run in "${runs[@]}"; do
  name=${run%%|*}; args=${run#*|}
  if [[ $name == fashion-mnist* && ! -d /usr/share/datasets/fashion-mnist ]]; then echo "skip  $name (no /usr/share/datasets/fashion-mnist)"; continue; fi
  for side in base new; do
    # shellcheck disable=SC2086
    dotnet "$work/bin-$side/Nabla.Cli.dll" train $args --out "$work/$side-$name" >/dev/null 2>&1 || { echo "FAIL  $name: the $side build's training failed"; status=1; continue 2; }
  done
  if python3 "$root/tools/same_tensors.py" "$work/base-$name/model.safetensors" "$work/new-$name/model.safetensors"; then
    echo "same  $name"
  else
    echo "DIFF  $name"; status=1
  fi
done
exit $status
