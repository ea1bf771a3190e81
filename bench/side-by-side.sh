#!/usr/bin/env bash
# seqvision against PyTorch eager on this machine, alternating: bench-train (nano preset) and
# bench/pix2seq_bench.py, ROUNDS times (default 2), training at batch 32 and greedy decoding at batch 1 and 32.
# Needs python3 with torch and safetensors importable (PYTHONPATH may point at a --target install).
# Results: bench-out/side-by-side/{java,torch}-*.{txt,json}.
# bin/seqvision caps oneDNN (DNNL_MAX_CPU_ISA=AVX) on CPUs whose convolution gradients it finds wrong
# (README, "Wrong convolution gradients on some CPUs"); to compare like for like there, run this with
# DNNL_MAX_CPU_ISA=AVX set, so that PyTorch gets the same cap.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out/side-by-side
mkdir -p "$out"
rounds=${ROUNDS:-2}
python3 -c 'import torch; print("PyTorch", torch.__version__)'
echo "DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-unset}"
for round in $(seq 1 "$rounds"); do
  bin/seqvision bench-train --preset nano --batch 32 --warmup 3 --steps 10 --decode-batch 1,32 \
      --decode-repeats 5 --no-op-costs --out "$out/java-$round.json" > "$out/java-$round.txt" 2>&1
  for batch in 1 32; do
    python3 bench/pix2seq_bench.py --preset nano --batch 32 --warmup 3 --steps 10 --decode-batch "$batch" \
        --decode-repeats 5 --out "$out/torch-$round-b$batch.json" > "$out/torch-$round-b$batch.txt" 2>&1
  done
  echo "round $round done: $out"
done
