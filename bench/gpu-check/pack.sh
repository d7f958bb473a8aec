#!/bin/bash
# Packs what a GPU machine without Node, npm or a network needs to run the WebGPU checks and the
# benchmarks (the `device` tool of the workplace; see bench/README.md "On a GPU machine"):
#   .dev/node.xz       this machine's node binary
#   .dev/pack.tar.xz   the benchmarks, the parity child and the mbrl-lab CLI (app/bench/main.js) bundled
#                      by esbuild, and the packages they load at run time (tfjs backends, webgpu's
#                      Linux dawn.node, mujoco-js, h5wasm)
#   .dev/run.sh        the check (bench/gpu-check/run.sh)
#   .dev/foresight-tasks.sh  foresight evaluations spread over the machine's cores (bench/gpu-check/foresight-tasks.sh)
#   .gl/*.deb          Debian's Vulkan loader and glvnd, which the NVIDIA Vulkan driver needs
# .dev and .gl are ignored through .git/info/exclude; carry both.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
grep -qx '/.dev/' .git/info/exclude 2>/dev/null || printf '/.dev/\n/.gl/\n' >> .git/info/exclude
mkdir -p .dev .gl "$STAGE/app/bench" "$STAGE/app/resources"
echo '{"type":"module"}' > "$STAGE/app/package.json"
cp -r resources/models resources/presets "$STAGE/app/resources/"
cp -r bench/reference "$STAGE/app/bench/"
cp bench/gpu-check/compare.mjs "$STAGE/"
# Worker threads find <name>.js beside the bundle (src-main/engine/compute/worker-entry.ts).
npx esbuild bench/run-bench.ts bench/video.ts test/engine/backend/webgpu-parity-child.ts src-main/cli/main.ts \
  src-main/engine/compute/planning-worker.ts src-main/engine/compute/training-worker.ts src-main/engine/compute/video-training-worker.ts \
  --bundle --platform=node --format=esm --target=node20 --outdir="$STAGE/out" --log-level=warning \
  --external:@tensorflow/* --external:webgpu --external:mujoco-js --external:h5wasm --external:electron \
  --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
find "$STAGE/out" -name '*.js' -exec cp {} "$STAGE/app/bench/" \;
# Bundled together, the scripts' "run me directly" checks all see run-bench.js as the entry: keep only its own.
sed -i -e 's|^if (import.meta.url === `file://${process.argv\[1\]}`) {|if (false) {|' \
  -e 's|^if (process.argv\[1\] && import.meta.url.endsWith(|if (false \&\& import.meta.url.endsWith(|' "$STAGE/app/bench/run-bench.js"
node -e "
const fs = require('fs'), path = require('path');
const copy = (rel) => fs.cpSync('node_modules/' + rel, '$STAGE/node_modules/' + rel, { recursive: true });
for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-layers']) {
  const main = JSON.parse(fs.readFileSync('node_modules/' + p + '/package.json', 'utf8')).main;
  copy(p + '/package.json');
  copy(p + '/' + main);
}
for (const f of fs.readdirSync('node_modules/@tensorflow/tfjs-backend-wasm/dist')) if (f.endsWith('.wasm')) copy('@tensorflow/tfjs-backend-wasm/dist/' + f);
for (const p of ['long', 'seedrandom', 'node-fetch', 'whatwg-url', 'tr46', 'webidl-conversions', 'debug', 'ms', 'mujoco-js', 'h5wasm']) if (fs.existsSync('node_modules/' + p)) copy(p);
for (const f of ['package.json', 'index.js', 'dist/linux-x64/dawn.node']) copy('webgpu/' + f);
"
tar -C "$STAGE" -cf - node_modules app compare.mjs | xz -T2 -6 > .dev/pack.tar.xz
[ -s .dev/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .dev/node.xz
cp bench/gpu-check/run.sh .dev/run.sh
cp bench/gpu-check/foresight-tasks.sh .dev/foresight-tasks.sh
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
mkdir -p /tmp/amd64/partial
ls .gl/libvulkan1_*.deb >/dev/null 2>&1 || { apt-get $o update >/dev/null && (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2); }
du -sh .dev .gl
