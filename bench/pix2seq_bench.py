#!/usr/bin/env python3
"""PyTorch eager reference for `seqvision bench-train`: same presets (bench/presets.json), flags and JSON keys.

    python3 bench/pix2seq_bench.py --preset t --device gpu --precision bf16 --out runs/bench/t-torch.json

Times training steps (forward, backward, clip_grad_norm_(1.0), AdamW lr 1e-4 wd 0.05 on rank >= 2 parameters)
on one synthetic batch kept on the device, then greedy decoding with a key/value cache (argmax on the device,
tokens read once at the end). fp16 uses autocast and GradScaler; bf16 autocast alone; fp32 plain. The loss is
summed on the device and read every --log-every steps, as the Java fused loop does.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LEARNING_RATE = 1e-4
WEIGHT_DECAY = 0.05
CLIP_NORM = 1.0
PROMPT_DETECTION = 10


def load_presets():
    with open(os.path.join(HERE, "presets.json"), encoding="utf-8") as f:
        return json.load(f)


def parse_args(argv, presets):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--preset", default="tiny", choices=sorted(presets))
    p.add_argument("--device", default="cpu", choices=["cpu", "gpu"])
    p.add_argument("--precision", default="fp32", choices=["fp32", "fp16", "bf16"])
    p.add_argument("--batch", type=int, help="images per step (default: the preset's)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--log-every", type=int, help="read the loss every N steps (default: --steps)")
    p.add_argument("--decode-tokens", type=int, help="0 skips decoding (default: the preset's sequence length)")
    p.add_argument("--decode-batch", type=int, help="default: --batch")
    p.add_argument("--decode-repeats", type=int, default=2)
    p.add_argument("--dwconv", default="auto", choices=["auto", "direct", "fft"])
    p.add_argument("--attention", default="sdpa", choices=["sdpa", "math"],
                   help="sdpa: F.scaled_dot_product_attention; math: matmul-softmax-matmul as the Java decoder")
    p.add_argument("--adam", default="foreach", choices=["foreach", "fused", "loop"],
                   help="torch.optim.AdamW implementation (default: PyTorch's default, foreach)")
    p.add_argument("--cudnn-benchmark", action="store_true")
    p.add_argument("--threads", type=int, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", help="write the results as JSON to this file (atomically)")
    p.add_argument("--profile", help="after the timed steps, trace --profile-steps more with torch.profiler"
                   " (Chrome trace JSON; bench/op_profile.py sums it per step)")
    p.add_argument("--profile-steps", type=int, default=2)
    args = p.parse_args(argv)
    preset = dict(presets[args.preset], name=args.preset)
    args.batch = args.batch or preset["batch"]
    args.log_every = args.log_every or args.steps
    length = 5 * preset["max_objects"] + 1
    args.decode_tokens = length if args.decode_tokens is None else args.decode_tokens
    args.decode_batch = args.decode_batch or args.batch
    if min(args.batch, args.steps, args.log_every, args.decode_repeats, args.decode_batch) < 1 or args.warmup < 0:
        p.error("--batch, --steps, --log-every, --decode-batch, --decode-repeats must be >= 1, --warmup >= 0")
    if args.decode_batch > args.batch:
        p.error(f"--decode-batch {args.decode_batch} exceeds --batch {args.batch}")
    if not 0 <= args.decode_tokens <= length:
        p.error(f"--decode-tokens must be in [0, {length}]")
    return args, preset


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".bench-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def main(argv=None):
    presets = load_presets()
    args, preset = parse_args(argv, presets)
    import torch
    import torch.nn.functional as F
    from pix2seq_models import Pix2SeqModel, make_encoder

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "gpu" and not torch.cuda.is_available():
        sys.exit("--device gpu: torch.cuda.is_available() is False")
    device = torch.device("cuda" if args.device == "gpu" else "cpu")
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    torch.manual_seed(args.seed)
    vocab = 10 + 20 + preset["classes"] + preset["coord_bins"]  # specials 0-9, prompts 10-29, classes, bins
    length = 5 * preset["max_objects"] + 1
    d = preset["decoder"]

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    def build():
        torch.manual_seed(args.seed)
        encoder = make_encoder(preset["encoder"], args.dwconv)
        return Pix2SeqModel(encoder, vocab, length + 1, d["width"], d["layers"], d["heads"], d["mlp_dim"],
                            d["dropout"], args.attention).to(device)

    model = build()
    parameters = sum(p.numel() for p in model.parameters()) + sum(b.numel() for b in model.buffers()
                                                                    if b.dtype.is_floating_point)
    side = preset["image_size"]
    g = torch.Generator().manual_seed(args.seed)
    images = torch.randn(args.batch, 3, side, side, generator=g).to(device)
    inputs = torch.randint(1, vocab, (args.batch, length), generator=g)
    inputs[:, 0] = PROMPT_DETECTION
    inputs = inputs.to(device)
    targets = torch.randint(1, vocab, (args.batch, length), generator=g).to(device)
    weights = torch.ones(args.batch, length, device=device)

    decay = [p for p in model.parameters() if p.dim() >= 2]
    plain = [p for p in model.parameters() if p.dim() < 2]
    adam_kwargs = {"fused": True} if args.adam == "fused" else {"foreach": args.adam == "foreach"}
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                                   {"params": plain, "weight_decay": 0.0}],
                                  lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, **adam_kwargs)
    amp_dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}.get(args.precision)
    scaler = torch.amp.GradScaler(device.type, enabled=args.precision == "fp16")
    loss_sum = torch.zeros((), device=device)
    loss_count = [0]

    def step():
        with torch.autocast(device.type, dtype=amp_dtype or torch.float32, enabled=amp_dtype is not None):
            logits = model(images, inputs)
        log_probabilities = logits.float().log_softmax(-1)
        picked = log_probabilities.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        loss = -(picked * weights).sum() / weights.sum().clamp_min(1e-6)
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        loss_sum.add_(loss.detach())
        loss_count[0] += 1

    def drain():
        value = loss_sum.item() / max(loss_count[0], 1)
        loss_sum.zero_()
        loss_count[0] = 0
        return value

    model.train()
    for _ in range(args.warmup):
        step()
    first_loss = drain()
    sync()
    losses, durations, cpu = [], [], []
    start = time.perf_counter()
    for i in range(args.steps):
        t = time.perf_counter()
        c = time.thread_time()
        step()
        if (i + 1) % args.log_every == 0 or i + 1 == args.steps:
            losses.append(drain())
        durations.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    sync()
    seconds = time.perf_counter() - start
    median = statistics.median(durations)
    if args.profile:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
            for _ in range(args.profile_steps):
                step()
            drain()
        prof.export_chrome_trace(args.profile)
        print(f"profiled {args.profile_steps} steps: {args.profile}")
    training = [{
        "loop": "eager",
        "description": f"PyTorch eager, autocast {args.precision}, AdamW {args.adam}, attention {args.attention}",
        "step_ms": 1e3 * seconds / args.steps,
        "images_per_second": args.batch * args.steps / seconds,
        "step_ms_median": 1e3 * median,
        "images_per_second_at_median": args.batch / median,
        "thread_cpu_ms_median": 1e3 * statistics.median(cpu),
        "images_per_thread_cpu_second": args.batch / max(statistics.median(cpu), 1e-9),
        "host_reads_per_step": (args.precision == "fp16") + len(losses) / args.steps,
        "loss_after_warmup": first_loss,
        "loss_last": losses[-1],
    }]

    decoding = []
    if args.decode_tokens > 0:
        model.eval()
        with torch.no_grad(), torch.autocast(device.type, dtype=amp_dtype or torch.float32,
                                             enabled=amp_dtype is not None):
            memory = model.encode(images[:args.decode_batch])
            model.greedy(memory, PROMPT_DETECTION, min(args.decode_tokens, 16)).cpu()
            best = float("inf")
            for _ in range(args.decode_repeats):
                sync()
                t = time.perf_counter()
                tokens = model.greedy(memory, PROMPT_DETECTION, args.decode_tokens).cpu()
                best = min(best, time.perf_counter() - t)
                assert tokens.shape == (args.decode_batch, args.decode_tokens)
            if args.profile:
                trace = f"{os.path.splitext(args.profile)[0]}-decode-b{args.decode_batch}.json"
                with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                            record_shapes=True) as prof:
                    model.greedy(memory, PROMPT_DETECTION, args.decode_tokens).cpu()
                prof.export_chrome_trace(trace)
                print(f"profiled one decoding: {trace}")
        decoding.append({"weights_from": "eager", "path": "device", "batch": args.decode_batch,
                         "tokens": args.decode_tokens,
                         "tokens_per_second": args.decode_batch * args.decode_tokens / best})

    report = {
        "tool": f"pytorch {torch.__version__} eager (cuda {torch.version.cuda})",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu",
                    "cpu_cores": os.cpu_count(), "os": f"{platform.system()} {platform.machine()}",
                    "python": platform.python_version()},
        "preset": preset,
        "settings": {"device": args.device, "precision": args.precision, "batch": args.batch,
                     "warmup": args.warmup, "steps": args.steps, "log_every": args.log_every,
                     "dwconv": args.dwconv, "threads": args.threads or "default", "attention": args.attention,
                     "adam": args.adam, "cudnn_benchmark": args.cudnn_benchmark,
                     "learning_rate": LEARNING_RATE, "weight_decay": WEIGHT_DECAY, "clip_norm": CLIP_NORM},
        "parameters": parameters,
        "training": training,
        "decoding": decoding,
    }
    row = training[0]
    print(f"{preset['name']}, {args.device}, {args.precision}, batch {args.batch}, {parameters} parameters")
    print(f"| eager | step ms {row['step_ms']:.2f} / median {row['step_ms_median']:.2f} "
          f"| images/s {row['images_per_second']:.1f} / {row['images_per_second_at_median']:.1f} |")
    for r in decoding:
        print(f"| decoding {r['path']} | batch {r['batch']} | tokens {r['tokens']} | {r['tokens_per_second']:.0f} tokens/s |")
    if args.out:
        write_atomically(args.out, json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
