"""Nabla model files in PyTorch, with the standard library and torch only (Debian has no safetensors package).

    python3 tools/to_torch.py MODEL.safetensors        # prints the rebuilt nn.Sequential and its tensors

As a module: ``load(path)`` rebuilds the ``nn.Sequential`` a model file describes (its metadata's
``nabla.architecture``: each layer is a PyTorch module name and PyTorch's keyword arguments) and loads every
tensor with ``load_state_dict(strict=True)``; ``scale_inputs`` applies the model's input scaling; ``save`` writes
a model back as a Nabla model file that ``nabla evaluate`` and ``nabla predict`` accept.
"""
import hashlib
import json
import struct
import sys

import torch
from torch import nn

ARCHITECTURE_KEY = "nabla.architecture"
CHECKSUM_KEY = "nabla.data_sha256"
DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
# Option names of model files written before the names followed PyTorch.
OLD_NAMES = {"in": "in_features", "out": "out_features", "slope": "negative_slope"}


def read_safetensors(path):
    """The tensors (name -> torch tensor) and the metadata (str -> str) of a safetensors file."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        tensor = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[entry["dtype"]]) if end > begin \
            else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        tensors[name] = tensor.reshape(entry["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    """Writes tensors (name -> torch tensor, little-endian) with metadata and the data checksum Nabla checks."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        tensor = tensors[name].detach().contiguous().cpu()
        raw = tensor.numpy().tobytes()
        header[name] = {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    data = b"".join(chunks)
    header["__metadata__"] = dict(metadata, **{CHECKSUM_KEY: hashlib.sha256(data).hexdigest()})
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        f.write(data)


def build(architecture):
    """The nn.Sequential of an architecture (the parsed ``nabla.architecture`` JSON), with fresh weights."""
    modules = []
    for layer in architecture["layers"]:
        options = {OLD_NAMES.get(key, key): tuple(value) if isinstance(value, list) else value
                   for key, value in layer.items() if key != "kind"}
        modules.append(getattr(nn, layer["kind"])(**options))
    return nn.Sequential(*modules)


def load(path):
    """The model file's network in eval mode with its weights, and its architecture (a dict)."""
    tensors, metadata = read_safetensors(path)
    architecture = json.loads(metadata[ARCHITECTURE_KEY])
    model = build(architecture)
    model.load_state_dict(tensors, strict=True)
    return model.eval(), architecture


def scale_inputs(x, architecture):
    """Raw features (or flattened pixels) as the model's first layer expects them: (x - offset) / scale."""
    scaling = architecture.get("scaling")
    if scaling is None:
        return x
    return (x - torch.tensor(scaling["offset"], dtype=x.dtype)) / torch.tensor(scaling["scale"], dtype=x.dtype)


def save(path, model, architecture):
    """Writes ``model`` (float32 weights, int64 counters) as a Nabla model file of ``architecture``."""
    state = {name: value.float() if value.is_floating_point() else value for name, value in model.state_dict().items()}
    write_safetensors(path, state, {ARCHITECTURE_KEY: json.dumps(architecture, separators=(",", ":")), "format": "pt"})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 tools/to_torch.py MODEL.safetensors")
    network, arch = load(sys.argv[1])
    print(network)
    for tensor_name, value in network.state_dict().items():
        print(f"  {tensor_name}: {NAMES.get(value.dtype, value.dtype)} {list(value.shape)}")
    print(f"input shape {arch.get('input_shape')}, loss {arch['loss']}, classes {arch.get('classes')}")
