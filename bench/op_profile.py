#!/usr/bin/env python3
"""Sums Chrome traces of training steps per operation, for seqvision's and PyTorch's side by side.

    python3 bench/op_profile.py --steps 2 java=bench-out/trace-fused.json torch=bench-out/trace-torch.json

Both `bin/seqvision bench-train --profile FILE` (libtorch's profiler, through DJL) and `bench/pix2seq_bench.py
--profile FILE` (torch.profiler) write Chrome traces of the same number of steps (--profile-steps). Per trace,
each ATen operation's calls and inclusive time are summed and divided by the steps. Only top-level
operations count towards the total (an operation called inside another is listed, not added again), so the
totals compare what each side asked libtorch to do. Operations are listed by the largest difference.
"""
import argparse
import collections
import json


def load(path):
    with open(path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    # complete events of CPU operations; the autograd engine's and the profiler's own records are skipped
    ops = [e for e in events if e.get("ph") == "X" and "dur" in e
           and not e.get("cat", "").startswith(("python", "user_annotation", "gpu", "kernel"))
           and not e["name"].startswith(("ProfilerStep", "autograd::engine", "PyTorch Profiler", "[memory]"))]
    per_thread = collections.defaultdict(list)
    for e in ops:
        per_thread[e.get("tid")].append(e)
    calls = collections.Counter()
    micros = collections.Counter()
    top_micros = 0.0
    top_calls = 0
    for events in per_thread.values():
        events.sort(key=lambda e: (e["ts"], -e["dur"]))
        open_until = -1.0
        for e in events:
            name = e["name"]
            calls[name] += 1
            micros[name] += e["dur"]
            if e["ts"] >= open_until:
                top_micros += e["dur"]
                top_calls += 1
                open_until = e["ts"] + e["dur"]
    return calls, micros, top_calls, top_micros


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=2, help="steps each trace holds")
    p.add_argument("--rows", type=int, default=40)
    p.add_argument("traces", nargs="+", help="label=file")
    args = p.parse_args()
    sides = []
    for item in args.traces:
        label, _, path = item.partition("=")
        sides.append((label, load(path)))
    names = set()
    for _, (calls, _, _, _) in sides:
        names |= set(calls)
    s = args.steps
    for label, (_, _, top_calls, top_micros) in sides:
        print(f"{label}: {top_calls / s:.0f} top-level operations per step, {top_micros / s / 1e3:.1f} ms in them")
    header = "operation".ljust(44) + "".join(f"{label + ' calls':>14}{label + ' ms':>12}" for label, _ in sides)
    print(header)

    def spread(name):
        values = [m[name] for _, (_, m, _, _) in sides]
        return max(values) - min(values)

    for name in sorted(names, key=spread, reverse=True)[:args.rows]:
        row = name[:43].ljust(44)
        for _, (calls, micros, _, _) in sides:
            row += f"{calls[name] / s:14.1f}{micros[name] / s / 1e3:12.2f}"
        print(row)


if __name__ == "__main__":
    main()
