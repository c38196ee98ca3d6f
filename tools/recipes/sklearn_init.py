#!/usr/bin/python3
"""Writes the initial weights scikit-learn's MLPClassifier(random_state=SEED) draws for TRAIN.csv into a nabla model file,
for `nabla train --init-from`: to tell how much of a difference between nabla and scikit-learn is the initial weights'
draw and how much is the training (docs/recipes.md, the iris section).

  /usr/bin/python3 tools/recipes/sklearn_init.py TRAIN.csv SEED TEMPLATE.safetensors OUT.safetensors

TEMPLATE is any nabla model of the same network trained on TRAIN.csv (one epoch is enough): its metadata (architecture,
class order) is kept and its tensors replaced by scikit-learn's, transposed to nabla's [out, in] and with the output
columns in nabla's class order. The class is the last column of TRAIN.csv, as compare_tabular.sh writes it.
"""
import hashlib
import json
import struct
import sys
import warnings

import numpy as np
from sklearn.neural_network import MLPClassifier
from sklearn.neural_network import _multilayer_perceptron as mlp

train, seed, template, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = np.genfromtxt(train, delimiter=",", dtype=str, skip_header=1)
X, y = rows[:, :-1].astype(float), rows[:, -1]

# scikit-learn draws each layer's weights then its biases in _init_coef; record them as fit draws them.
drawn = []
init_coef = mlp.BaseMultilayerPerceptron._init_coef


def record(self, fan_in, fan_out, dtype):
    weights, biases = init_coef(self, fan_in, fan_out, dtype)
    drawn.append((weights.copy(), biases.copy()))
    return weights, biases


mlp.BaseMultilayerPerceptron._init_coef = record
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model = MLPClassifier(random_state=seed, max_iter=1).fit(X, y)

with open(template, "rb") as f:
    data = f.read()
metadata = json.loads(data[8:8 + struct.unpack("<Q", data[:8])[0]])["__metadata__"]
classes = json.loads(metadata["nabla.architecture"])["classes"]
order = [list(model.classes_).index(c) for c in classes]
tensors = {}
for i, (weights, biases) in enumerate(drawn):
    last = i == len(drawn) - 1
    tensors[f"{2 * i}.weight"] = (weights[:, order] if last else weights).T
    tensors[f"{2 * i}.bias"] = biases[order] if last else biases

header, blobs, offset = {}, [], 0
for name in sorted(tensors):
    blob = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
    blobs.append(blob)
    offset += len(blob)
header = {"__metadata__": dict(metadata, **{"nabla.data_sha256": hashlib.sha256(b"".join(blobs)).hexdigest()}), **header}
encoded = json.dumps(header).encode()
encoded += b" " * (-len(encoded) % 8)
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
