#!/usr/bin/python3
"""Writes scikit-learn's bundled tables as CSV files for tools/recipes/compare_tabular.sh: breast_cancer.csv, wine.csv and
digits.csv in DIR, the features under their names (spaces as _) and the class in the last column, `target` (names for
breast cancer and wine, the digit for digits). Also three generated tables nobody tuned the recipe on, from
make_classification (8 features: 4 informative, 2 redundant, 2 noise; 3 classes; random_state=14), features x0..x7 and
the class c0..c2 in `class`: generated_same.csv (150 rows, every column of similar spread, as iris's), generated_same_600.csv
(the same generator with 600 rows) and generated_units.csv (200 rows, each column in its own unit: multiplied by 0.01 to
1,000 and shifted, so the spreads differ 70,000-fold).

  /usr/bin/python3 tools/recipes/export_sklearn.py DIR
"""
import csv
import os
import sys

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification

directory = sys.argv[1]
os.makedirs(directory, exist_ok=True)
for name, loader in (("breast_cancer", load_breast_cancer), ("wine", load_wine), ("digits", load_digits)):
    data = loader()
    with open(os.path.join(directory, f"{name}.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([n.replace(" ", "_") for n in data.feature_names] + ["target"])
        for x, y in zip(data.data, data.target):
            if name == "digits":
                writer.writerow([int(v) for v in x] + [int(y)])
            else:
                writer.writerow([repr(float(v)) for v in x] + [data.target_names[y]])
    print(f"{name}.csv: {data.data.shape[0]} rows, {data.data.shape[1]} features")

for name, rows, units in (("generated_same", 150, False), ("generated_same_600", 600, False), ("generated_units", 200, True)):
    X, y = make_classification(n_samples=rows, n_features=8, n_informative=4, n_redundant=2, n_classes=3,
                               n_clusters_per_class=1, class_sep=1.0, random_state=14)
    if units:
        X = X * np.array([1, 1000, 0.01, 50, 1, 0.1, 200, 5.0]) + np.array([0, 5000, 1, 300, -2, 0, 1000, 20.0])
    with open(os.path.join(directory, f"{name}.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([f"x{i}" for i in range(X.shape[1])] + ["class"])
        for x, t in zip(X, y):
            writer.writerow([repr(round(float(v), 6)) for v in x] + [f"c{t}"])
    print(f"{name}.csv: {X.shape[0]} rows, {X.shape[1]} features")
