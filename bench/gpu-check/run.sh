#!/bin/bash
# The GPU machine's side of bench/gpu-check/pack.sh, run from the repository root there with .dev and
# .gl carried: WebGPU (Dawn on the NVIDIA Vulkan driver) against wasm on the parity child's
# computations, then the video benchmarks (PyTorch reference on CUDA) and the planning and training
# groups on WebGPU and on wasm. Results go to $OUT (the device tool's folder), or ./gpu-check-out.
set -u
OUT=${OUT:-$(pwd)/gpu-check-out}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
# The Vulkan loader and glvnd (libGLX_nvidia.so.0, the NVIDIA ICD, needs libGLdispatch).
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$ICD" ] || ICD=/usr/share/vulkan/icd.d/nvidia_icd.json
export VK_DRIVER_FILES=$ICD VK_ICD_FILENAMES=$ICD
export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/nvidia/lib:${LD_LIBRARY_PATH:-}
export XDG_RUNTIME_DIR=$(mktemp -d)
mkdir -p /tmp/nb /tmp/d
xz -dc .dev/node.xz > /tmp/nb/node && chmod +x /tmp/nb/node
export PATH=/tmp/nb:$PATH
export MBRL_BENCH_PYTHON=$(command -v python3)
node --version
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available())'
tar -xJf .dev/pack.tar.xz -C /tmp/d && cd /tmp/d/app || exit 1
step() { echo "== $1 $(date +%T)"; }
step parity
timeout 60 node bench/webgpu-parity-child.js > "$OUT/parity.json" 2> "$OUT/parity.err"
echo "rc $?"; tail -3 "$OUT/parity.err"
node /tmp/d/compare.mjs "$OUT/parity.json" | tee "$OUT/parity-compare.json"
step "video on webgpu, reference on cuda"
MBRL_BENCH_TORCH_DEVICE=cuda timeout 150 node bench/video.js --backend webgpu --only rollout,plan,train 2>&1 | tee "$OUT/video-webgpu.log"
step "planning and training on webgpu"
MBRL_LAB_BACKEND=webgpu timeout 200 node bench/run-bench.js planning,training 2>&1 | tee "$OUT/bench-webgpu.log"
step "planning on wasm"
MBRL_LAB_BACKEND=wasm timeout 150 node bench/run-bench.js planning 2>&1 | tee "$OUT/bench-wasm.log"
step done
