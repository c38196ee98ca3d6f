"""Exit 0 when two safetensors files hold the same tensors (names, dtypes, shapes, bytes), ignoring metadata."""
import json
import struct
import sys


def tensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    header.pop("__metadata__", None)
    return {name: (t["dtype"], t["shape"], data[t["data_offsets"][0]:t["data_offsets"][1]]) for name, t in header.items()}


a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
differ = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
for name in differ:
    print(f"  tensor {name} differs", file=sys.stderr)
sys.exit(1 if differ else 0)
