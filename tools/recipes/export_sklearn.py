#!/usr/bin/python3
"""Writes scikit-learn's bundled tables as CSV files for tools/recipes/compare_tabular.sh: breast_cancer.csv, wine.csv and
digits.csv in DIR, the features under their names (spaces as _) and the class in the last column, `target` (names for
breast cancer and wine, the digit for digits).

  /usr/bin/python3 tools/recipes/export_sklearn.py DIR
"""
import csv
import os
import sys

from sklearn.datasets import load_breast_cancer, load_digits, load_wine

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
