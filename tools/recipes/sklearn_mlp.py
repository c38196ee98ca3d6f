#!/usr/bin/python3
"""scikit-learn's MLPClassifier with its defaults on a CSV file, as docs/recipes.md compares it with nabla's recipe.

For each seed: a stratified 80/20 split (train_test_split(test_size=0.2, stratify=y, random_state=seed)), then
MLPClassifier(random_state=seed) with every other setting left at its default (no input scaling), fitted on the
80% and scored on the 20%. Prints one accuracy per seed, then the mean and standard deviation.

  /usr/bin/python3 tools/recipes/sklearn_mlp.py DATA.csv [--label COLUMN] [--seeds 10] [--scaled | --centered] [--set NAME=VALUE ...]
       [--init-seed-offset N] [--zero-biases]

--scaled puts a StandardScaler before it (a reference point, not the defaults); --centered only subtracts each column's
mean (fitted on the 80%). --set changes one of MLPClassifier's settings (--set batch_size=32 --set max_iter=100), to
measure what each contributes. --init-seed-offset N keeps the splits but
fits MLPClassifier(random_state=seed+N): how much of the mean is the initial weights' luck. --zero-biases starts its
biases at zero instead of drawing them from the weights' range (its _init_coef, patched), as nabla's xavier-uniform does.
"""
import argparse
import ast
import csv
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--label", default=None)
parser.add_argument("--seeds", type=int, default=10)
parser.add_argument("--scaled", action="store_true")
parser.add_argument("--centered", action="store_true")
parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
parser.add_argument("--init-seed-offset", type=int, default=0)
parser.add_argument("--zero-biases", action="store_true")
args = parser.parse_args()

if args.zero_biases:
    draw = MLPClassifier._init_coef

    def zero_biases(self, fan_in, fan_out, dtype):
        coef, intercept = draw(self, fan_in, fan_out, dtype)
        return coef, np.zeros_like(intercept)

    MLPClassifier._init_coef = zero_biases

with open(args.data) as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
target = header.index(args.label) if args.label else len(header) - 1
X = np.array([[float(v) for i, v in enumerate(r) if i != target] for r in rows])
y = np.array([r[target] for r in rows])

settings = {name: ast.literal_eval(value) for name, value in (pair.split("=", 1) for pair in args.set)}
accuracies = []
for seed in range(args.seeds):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)
    model = MLPClassifier(random_state=seed + args.init_seed_offset, **settings)
    if args.scaled:
        model = make_pipeline(StandardScaler(), model)
    elif args.centered:
        model = make_pipeline(StandardScaler(with_std=False), model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    accuracies.append(model.score(X_test, y_test))
    print(f"seed {seed}: {accuracies[-1]:.4f}")
print(f"mean {np.mean(accuracies):.4f} std {np.std(accuracies):.4f} over {args.seeds} seeds")
