#!/usr/bin/env bash
# The two Fashion-MNIST measurements docs/recipes.md reports: the data-aware defaults (only --data) and the documented
# MLP recipe (784-512-256-10). Each prints its test accuracy; the runs go to runs/recipes/. CPU-heavy: run it alone.
#   tools/recipes/fashion_mnist.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
nabla=${NABLA:-"dotnet $root/src/Nabla.Cli/bin/Release/net10.0/Nabla.Cli.dll"}
out=${OUT:-runs/recipes}
$nabla train --data fashion-mnist --out "$out/fmnist-defaults" | grep -E "recipe|Test accuracy"
$nabla train --data fashion-mnist --layers 512,256 --activation relu --dropout 0.2 --init he --loss cross-entropy --optimizer adamw \
  --learning-rate 0.001 --weight-decay 0.0001 --lr-schedule cosine --batch-size 128 --epochs 30 --out "$out/fmnist-mlp" | grep -E "Test accuracy"
