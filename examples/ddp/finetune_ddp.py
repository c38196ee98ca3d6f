"""Fine-tunes a Nabla model with PyTorch's DistributedDataParallel on two CPU processes (gloo, loopback),
then writes it back as a Nabla model file that ``nabla evaluate`` accepts. Standard library and torch only.

    nabla train --data iris --layers 16 --activation relu --loss cross-entropy --scale standard --out runs/iris
    python3 examples/ddp/finetune_ddp.py --model runs/iris/model.safetensors --data src/Nabla/Data/Builtin/iris.csv \\
        --out runs/iris/finetuned.safetensors
    nabla evaluate --model runs/iris/finetuned.safetensors --data iris

Each process trains on its half of every epoch's shuffled rows (DistributedSampler); DDP averages the gradients
over the processes after every backward pass, so the two replicas stay identical and rank 0 saves the result.
"""
import argparse
import csv
import os
import pathlib
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
import to_torch  # noqa: E402  (tools/ is not a package)


def read_csv(path, architecture, label):
    """Features in the model's column order, scaled as the model expects, and class indices."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = architecture.get("features") or [c for c in rows[0] if c != label]
    label = label or [c for c in rows[0] if c not in columns][-1]
    classes = architecture["classes"]
    x = torch.tensor([[float(row[c]) for c in columns] for row in rows])
    y = torch.tensor([classes.index(row[label]) for row in rows])
    return to_torch.scale_inputs(x, architecture), y


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def worker(rank, args, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(args.port))
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(args.seed)
    model, architecture = to_torch.load(args.model)
    if architecture["loss"] != "cross-entropy":
        sys.exit(f"this example fine-tunes classifiers trained with --loss cross-entropy; the model has {architecture['loss']}")
    x, y = read_csv(args.data, architecture, args.label)
    if rank == 0:
        print(f"{world_size} processes, {len(y)} rows; accuracy before: {accuracy(model, x, y):.4f}")
    ddp = DistributedDataParallel(model.train())
    sampler = DistributedSampler(TensorDataset(x, y), num_replicas=world_size, rank=rank, shuffle=True, seed=args.seed)
    loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size, sampler=sampler)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=args.lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(ddp(xb), yb).backward()
            optimizer.step()
    model.eval()
    if rank == 0:
        print(f"accuracy after {args.epochs} epochs: {accuracy(model, x, y):.4f}")
        to_torch.save(args.out, model, architecture)
        print(f"wrote {args.out}")
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a Nabla model file (classifier, cross-entropy)")
    parser.add_argument("--data", required=True, help="a CSV file with the model's feature columns and a label column")
    parser.add_argument("--label", help="the label column (default: the column that is not a feature)")
    parser.add_argument("--out", required=True, help="where to write the fine-tuned model file")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=29517)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    mp.spawn(worker, args=(args, args.processes), nprocs=args.processes, join=True)


if __name__ == "__main__":
    main()
