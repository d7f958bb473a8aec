#!/bin/bash
# Visual-foresight evaluations spread over a many-core machine's cores, one process per task (the GPU
# machine's 16 host cores; see bench/README.md "On a GPU machine"). Run from the repository root there
# with .dev carried (bench/gpu-check/pack.sh). Each line of the jobs file (default .dev/jobs.txt):
#   NAME SPEC MODEL_RUN TASKS
# runs `mbrl-lab foresight SPEC --from MODEL_RUN --controllers model --tasks TASKS` (paths relative to the
# repository root). Tasks are seeded by their episode seed, so a task alone plans as it does in the whole
# set (foresight-eval.test.ts). Prints and writes $OUT/results.json: per NAME, each task's episode seed,
# start and final distance and how far the block moved (px of the evaluation frame), and the successes;
# the runs' logs and records go to $OUT/runs.tgz.
set -u
ROOT=$(pwd)
JOBS=${1:-.dev/jobs.txt}
OUT=${OUT:-$ROOT/foresight-tasks-out}
mkdir -p "$OUT" /tmp/nb /tmp/d /tmp/foresight-runs
[ -x /tmp/nb/node ] || { xz -dc .dev/node.xz > /tmp/nb/node && chmod +x /tmp/nb/node; }
export PATH=/tmp/nb:$PATH
[ -f /tmp/d/app/bench/main.js ] || tar -xJf .dev/pack.tar.xz -C /tmp/d
echo "$(nproc) cores; $(wc -l < "$JOBS") jobs; $(date +%T)"
one() {
  local dir="/tmp/foresight-runs/$1-${4//,/_}"
  (cd /tmp/d/app && timeout "${TASK_LIMIT:-540}" node bench/main.js foresight "$ROOT/$2" --from "$ROOT/$3" --controllers model --tasks "$4" --out "$dir" --backend wasm > "$dir.log" 2>&1)
  local rc=$?
  [ $rc -eq 0 ] || echo "$1 $4: exit $rc (log $dir.log)"
}
export -f one
export ROOT
xargs -P "${PAR:-$(nproc)}" -L 1 bash -c 'one "$@"' _ < "$JOBS"
echo "done $(date +%T)"
node --input-type=module -e "
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
const out = {};
for (const d of readdirSync('/tmp/foresight-runs')) {
  const f = '/tmp/foresight-runs/' + d + '/foresight-eval.json';
  if (!existsSync(f)) continue;
  const record = JSON.parse(readFileSync(f, 'utf8'));
  const name = d.replace(/-[\d_]+$/, '');
  for (const t of record.results?.[0]?.tasks ?? []) (out[name] ??= []).push({ seed: t.episodeSeed, start: t.startDistance, final: t.finalDistance, moved: t.moved, radius: record.spec.evaluate.successRadius });
}
for (const [name, tasks] of Object.entries(out)) {
  tasks.sort((a, b) => a.seed - b.seed);
  console.log(name, tasks.filter((t) => t.final <= t.radius).length + '/' + tasks.length, tasks.map((t) => t.final.toFixed(1)).join(' '));
}
writeFileSync('$OUT/results.json', JSON.stringify(out, null, 1));
"
tar -C /tmp/foresight-runs -czf "$OUT/runs.tgz" .
