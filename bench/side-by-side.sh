#!/usr/bin/env bash
# seqvision against PyTorch eager on this machine, alternating: bench-train (nano preset) and
# bench/pix2seq_bench.py, ROUNDS times (default 2), training at batch 32 and greedy decoding at batch 1 and 32.
# Needs python3 with torch and safetensors importable (PYTHONPATH may point at a --target install).
# SAME_TORCH=1 adds, each round, seqvision on the libtorch of that Python torch (DJL's JNI built for it by
# scripts/djl-native, run once before with --djl-source DIR), so that both sides run the same kernels: the
# default run uses the libtorch 2.7.1 that DJL 0.35.1 ships, the reference whatever torch pip installed.
# Results: bench-out/side-by-side/{java,java-same,torch}-*.{txt,json} and table.md (bench/side_by_side_table.py).
# bin/seqvision caps oneDNN (DNNL_MAX_CPU_ISA=AVX) on CPUs whose convolution gradients it finds wrong
# (README, "Wrong convolution gradients on some CPUs"); to compare like for like there, run this with
# DNNL_MAX_CPU_ISA=AVX set, so that PyTorch gets the same cap.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out/side-by-side
mkdir -p "$out"
rounds=${ROUNDS:-2}
same_torch=${SAME_TORCH:-0}
torch_version="$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')"
echo "PyTorch $torch_version"
echo "DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-unset}"
if [ "$same_torch" = 1 ]; then
  env_file=target/djl-native/env.sh
  built="$(if [ -f "$env_file" ]; then source "$env_file"; echo "$PYTORCH_VERSION"; fi)"
  [ "$built" = "$torch_version" ] || { echo "side-by-side: SAME_TORCH=1 needs DJL's JNI built for torch $torch_version" \
      "(found: ${built:-none}); run scripts/djl-native --djl-source DIR first" >&2; exit 1; }
fi
java_bench() {  # OUT-NAME [env file]: bench-train's round, on DJL's libtorch or on the one an env file names
  local name="$1" env_file="${2:-}"
  ( if [ -n "$env_file" ]; then source "$env_file"; fi
    bin/seqvision bench-train --preset nano --batch 32 --warmup 3 --steps 10 --decode-batch 1,32 \
        --decode-repeats 5 --no-op-costs --out "$out/$name.json" > "$out/$name.txt" 2>&1 )
}
table=()
for round in $(seq 1 "$rounds"); do
  java_bench "java-$round"
  for batch in 1 32; do
    python3 bench/pix2seq_bench.py --preset nano --batch 32 --warmup 3 --steps 10 --decode-batch "$batch" \
        --decode-repeats 5 --out "$out/torch-$round-b$batch.json" > "$out/torch-$round-b$batch.txt" 2>&1
  done
  javas=("java-$round")
  if [ "$same_torch" = 1 ]; then
    java_bench "java-same-$round" "$env_file"
    javas+=("java-same-$round")
  fi
  for batch in 1 32; do
    for java in "${javas[@]}"; do
      table+=("round $round" "$out/$java.json" "$out/torch-$round-b$batch.json")
    done
  done
  echo "round $round done: $out"
done
python3 bench/side_by_side_table.py "$out/table.md" "${table[@]}"
