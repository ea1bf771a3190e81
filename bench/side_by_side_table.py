"""One Markdown table from pairs of bench JSON files: `seqvision bench-train` beside bench/pix2seq_bench.py.

    python3 bench/side_by_side_table.py OUT.md LABEL JAVA.json TORCH.json [LABEL JAVA.json TORCH.json ...]

Training: the fused loop's (the trainer's) images/s at the median step against eager's. Decoding: the
product's generator (`path: generator`) against eager's greedy loop, tokens/s, at the batch size of the
eager file's decoding (pix2seq_bench.py times one per run; bench-train may time several, --decode-batch 1,32).
Ratios are seqvision / eager. The seqvision column names the libtorch each run used (its JSON's "tool").
"""
import json
import os
import sys
import tempfile


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def training(report):
    rows = report.get("training", [])
    fused = [r for r in rows if r.get("loop", "fused") == "fused"]
    return (fused or rows or [{}])[0].get("images_per_second_at_median")


def decoding(report, path, batch=None):
    """Tokens/s of the first decoding row on `path` (at `batch` when given) and that row's batch."""
    rows = [r for r in report.get("decoding", [])
            if r.get("path") == path and (batch is None or r.get("batch") == batch)]
    return (rows[0]["tokens_per_second"], rows[0].get("batch")) if rows else (None, batch)


def libtorch(report):
    """'2.7.1' from a seqvision JSON's tool, "seqvision (DJL 0.35.1, PyTorch 2.7.1)"."""
    tool = report.get("tool", "")
    return tool.rsplit("PyTorch ", 1)[1].rstrip(")") if "PyTorch " in tool else "?"


def cell(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(ours, theirs):
    return "-" if not ours or not theirs else f"{ours / theirs:.2f}x"


def main(argv):
    if len(argv) < 5 or (len(argv) - 2) % 3:
        sys.exit(__doc__)
    out, triples = argv[1], argv[2:]
    lines = ["| run | seqvision's libtorch | seqvision train img/s | eager train img/s | ratio "
             "| decode batch | seqvision decode tok/s | eager decode tok/s | ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    tools = set()
    for i in range(0, len(triples), 3):
        label, ours, theirs = triples[i], load(triples[i + 1]), load(triples[i + 2])
        tools.add(theirs.get("tool", "pytorch"))
        t_ours, t_theirs = training(ours), training(theirs)
        d_theirs, batch = decoding(theirs, "device")
        d_ours, _ = decoding(ours, "generator", batch)
        lines.append(f"| {label} | {libtorch(ours)} | {cell(t_ours)} | {cell(t_theirs)} | {ratio(t_ours, t_theirs)} "
                     f"| {batch if batch is not None else '-'} | {cell(d_ours, 0)} | {cell(d_theirs, 0)} "
                     f"| {ratio(d_ours, d_theirs)} |")
    machine = load(triples[2]).get("machine", {})
    lines.append("")
    lines.append(f"Machine: {machine.get('device', '?')}, {machine.get('cpu_cores', '?')} CPU cores; "
                 f"reference: {', '.join(sorted(tools))}.")
    directory = os.path.dirname(os.path.abspath(out))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".table-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(temp, out)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv)
