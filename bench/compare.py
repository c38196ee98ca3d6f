#!/usr/bin/env python3
"""Nabla against its peers, interleaved on one (shared, noisy) machine.

Each round runs `nabla bench --json`, then ../shared/bench/peers.py (NumPy and scikit-learn on
OpenBLAS's two threads, PyTorch once on one thread and once on two, and the better of the two
counts), then, with --gemm, Nabla's and OpenBLAS's GEMM harnesses; the load average is
recorded before each. Prints a markdown summary: per workload the median over rounds of each
side and of the per-round ratio (ratios only ever pair figures from the same round).

Usage (from the repository root, after `dotnet build -c Release`):
    /usr/bin/python3 bench/compare.py --rounds 3 --gemm --out /tmp/compare.jsonl
    /usr/bin/python3 bench/compare.py --rounds 3 --workloads cnn-letters,cnn-mnist
OPENBLAS_CORETYPE=SkylakeX is set for the peers' processes only (OpenBLAS 0.3.21 falls back to a
slow generic kernel on this CPU otherwise).
"""
import argparse, json, os, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NABLA = ["dotnet", os.path.join(ROOT, "src/Nabla.Cli/bin/Release/net10.0/Nabla.Cli.dll"), "bench", "--json"]
GFLOPS = ["dotnet", os.path.join(ROOT, "bench/Nabla.Benchmarks/bin/Release/net10.0/Nabla.Benchmarks.dll"), "gflops"]
PEERS = os.path.join(ROOT, "..", "shared", "bench", "peers.py")
OPENBLAS = os.path.join(ROOT, "bench/Nabla.Benchmarks/openblas_gemm.py")
GEMM_SHAPES = ["1024³ A·B", "1024³ A·Bᵀ", "2048³ A·B", "64x784x256 A·Bᵀ fwd", "128x784x1000 A·Bᵀ fwd", "1000x128x784 Aᵀ·B dW"]


def load():
    return os.getloadavg()[0]


def run(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return out.stdout


def table(text):
    """Rows of a markdown table as {name: [cells...]}."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 2 and cells[0] and not cells[0].startswith("---") and cells[0] != "shape M×K×N":
            rows[cells[0]] = [float(c) for c in cells[1:]]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--gemm", action="store_true", help="also compare GEMM GFLOP/s with 2 threads")
    ap.add_argument("--gemm-seconds", default="0.05")
    ap.add_argument("--out", default="compare.jsonl")
    ap.add_argument("--workloads", default="all", help="comma-separated workload names (default: all six)")
    ap.add_argument("--peers", default=PEERS, help="peers.py (default: ../shared/bench/peers.py beside the repository)")
    a = ap.parse_args()
    only = [] if a.workloads == "all" else ["--workloads", a.workloads]
    peer_env = dict(os.environ, OPENBLAS_CORETYPE="SkylakeX")
    records = []
    with open(a.out, "w") as f:
        def keep(r):
            records.append(r)
            f.write(json.dumps(r) + "\n")
            f.flush()
        for rnd in range(a.rounds):
            keep(dict(round=rnd, side="nabla", load=load(), report=nabla(a.workloads)))
            # NumPy and scikit-learn use OpenBLAS's two threads. PyTorch runs on one thread and on two, and
            # the summary takes its better figure per round: one is usually best here (WORKLOADS.md; with two,
            # its OpenMP threads spin against each other on a busy host), but that is measured, not assumed.
            results = []
            lines = run(["/usr/bin/python3", a.peers, "--only", "numpy,sklearn"] + only, env=peer_env)
            results += [json.loads(l) for l in lines.splitlines() if l.startswith("{")]
            for threads in (1, 2):
                lines = run(["/usr/bin/python3", a.peers, "--only", "torch", "--threads", str(threads)] + only,
                            env=dict(peer_env, OMP_NUM_THREADS=str(threads)))
                results += [dict(json.loads(l), threads=threads) for l in lines.splitlines() if l.startswith("{")]
            keep(dict(round=rnd, side="peers", load=load(), results=results))
            if a.gemm:
                keep(dict(round=rnd, side="nabla-gemm", load=load(), rows=table(run(GFLOPS + [a.gemm_seconds]))))
                env = dict(peer_env, OPENBLAS_NUM_THREADS="2")
                keep(dict(round=rnd, side="openblas-gemm", load=load(), rows=table(run(["/usr/bin/python3", OPENBLAS, a.gemm_seconds], env=env))))
            print(f"round {rnd + 1} done, load {load():.1f}", file=sys.stderr)
    summarise(records, a.rounds)


def nabla(workloads):
    """`nabla bench --json` on every workload, or on each named one in turn, as one report."""
    if workloads == "all":
        return json.loads(run(NABLA))
    reports = [json.loads(run(NABLA + ["--workload", w])) for w in workloads.split(",")]
    return dict(reports[0], workloads=[w for r in reports for w in r["workloads"]])


def best(results, peer, workload, metric):
    """The peer's figure for the workload; of PyTorch's one- and two-thread runs, the better."""
    got = [p for p in results if p["peer"] == peer and p["workload"] == workload]
    if not got:
        return None
    return min(got, key=lambda p: p[metric]) if metric == "us_per_call" else max(got, key=lambda p: p[metric])


def summarise(records, rounds):
    med = statistics.median
    loads = [r["load"] for r in records]
    print(f"Load average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f}\n")
    print("| workload | Nabla | peer | peer figure | ratio (median of rounds) | ratio range |")
    print("|---|---|---|---|---|---|")
    by_round = {}
    for r in records:
        by_round.setdefault(r["round"], {})[r["side"]] = r
    names = [w["workload"] for w in by_round[0]["nabla"]["report"]["workloads"]]
    for name in names:
        infer = name == "infer-batch1"
        metric = "us_per_step" if infer else ("steps_per_s" if name == "tiny-gaussians" else "samples_per_s")
        peer_metric = "us_per_call" if infer else metric
        unit = "µs/call" if infer else ("steps/s" if name == "tiny-gaussians" else "samples/s")
        nab = [next(w for w in by_round[i]["nabla"]["report"]["workloads"] if w["workload"] == name) for i in range(rounds)]
        acc = med([w["accuracy"] for w in nab])
        for peer in ("numpy", "torch", "sklearn"):
            got = [best(by_round[i]["peers"]["results"], peer, name, peer_metric) for i in range(rounds)]
            if any(g is None for g in got):
                continue
            threads = sorted({g["threads"] for g in got if "threads" in g})
            label = f"{peer} ({'/'.join(map(str, threads))} thread{'s' if threads != [1] else ''})" if threads else peer
            ratios = [(g[peer_metric] / n[metric]) if infer else (n[metric] / g[peer_metric]) for n, g in zip(nab, got)]
            pacc = [g.get("test_accuracy", g.get("train_accuracy")) for g in got]
            pacc_s = f", acc {med(pacc):.3f}" if pacc[0] is not None else ""
            print(f"| {name} | {med([n[metric] for n in nab]):,.1f} {unit} (acc {acc:.3f}) | {label} | "
                  f"{med([g[peer_metric] for g in got]):,.1f}{pacc_s} | **{med(ratios):.2f}×** | {min(ratios):.2f}–{max(ratios):.2f} |")
    if "nabla-gemm" in by_round[0]:
        print("\n| GEMM, 2 threads | Nabla best / median GFLOP/s | OpenBLAS best / median | ratio of medians (median of rounds) |")
        print("|---|---|---|---|")
        for shape in GEMM_SHAPES:
            n = [by_round[i]["nabla-gemm"]["rows"][shape] for i in range(rounds)]  # 1T best, 1T med, 2T best, 2T med
            o = [by_round[i]["openblas-gemm"]["rows"][shape] for i in range(rounds)]  # best, median
            print(f"| {shape} | {max(x[2] for x in n):.0f} / {med([x[3] for x in n]):.0f} | {max(x[0] for x in o):.0f} / {med([x[1] for x in o]):.0f} | "
                  f"{med([x[3] / y[1] for x, y in zip(n, o)]):.2f} |")
    peaks = [by_round[i]["nabla"]["report"]["gemm_peak_gflops"] for i in range(rounds)]
    print(f"\nNabla's measured 1024³ GEMM peak per round (GFLOP/s): {', '.join(f'{p:.0f}' for p in peaks)}")


if __name__ == "__main__":
    main()
