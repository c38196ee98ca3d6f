"""Loads a Nabla model file into PyTorch and runs it, as a reader independent of Nabla would.

Usage: /usr/bin/python3 torch_load_model.py MODEL.safetensors BATCH.safetensors

The architecture JSON in the file's metadata names PyTorch modules with PyTorch's argument names, so each layer
is built as getattr(torch.nn, kind)(**options); the tensors load with load_state_dict(strict=True). BATCH holds
"input" (N × C·H·W, one sample per row) and "output", Nabla's evaluation-mode outputs for it. Prints one JSON
object: the largest absolute difference between torch's outputs and Nabla's, and every tensor's name, shape and
dtype as the file stores it and as torch's state_dict holds it.

Standard library and torch only: Debian packages no safetensors module, so the header is parsed here.
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    """The tensors by name as (tensor, dtype name), and the metadata."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        values = torch.frombuffer(bytearray(data[base + start:base + end]), dtype=dtype) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = (values.reshape(info["shape"]), info["dtype"])
    return tensors, metadata


def build(architecture):
    """The nn.Sequential the architecture describes: its option names are PyTorch's (pairs are JSON arrays)."""
    modules = []
    for layer in architecture["layers"]:
        options = {key: tuple(value) if isinstance(value, list) else value for key, value in layer.items() if key != "kind"}
        modules.append(getattr(torch.nn, layer["kind"])(**options))
    return torch.nn.Sequential(*modules)


def main(model_path, batch_path):
    tensors, metadata = read_safetensors(model_path)
    architecture = json.loads(metadata["nabla.architecture"])
    model = build(architecture)
    model.load_state_dict({name: tensor for name, (tensor, _) in tensors.items()}, strict=True)
    model.eval()
    batch, _ = read_safetensors(batch_path)
    x, expected = batch["input"][0], batch["output"][0]
    with torch.no_grad():
        y = model(x.reshape([-1] + architecture["input_shape"]))
    print(json.dumps({
        "max_abs_diff": float((y - expected).abs().max()),
        "torch_modules": str(model),
        "file": [[name, list(tensor.shape), dtype] for name, (tensor, dtype) in tensors.items()],
        "state_dict": [[name, list(tensor.shape), str(tensor.dtype)] for name, tensor in model.state_dict().items()],
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
