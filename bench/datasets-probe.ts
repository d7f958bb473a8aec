/**
 * Our side of the datasets bench, run in its own process (the way the CLI and `serve` run the
 * engine: Node + tsx, h5wasm preloaded) so its memory is only the reader's: opens a robomimic file
 * with openLocalDataset (the summary: every demo, array, shape and dtype), then scrubs: READS
 * single-frame reads of FIELD at (demo, step) pairs drawn like bench/reference/dataset_scrub.py.
 *
 * Usage: node --import ./bin/preload-h5wasm.mjs --import tsx bench/datasets-probe.ts FILE FIELD READS SEED
 * Prints one JSON object: openMs, frameMs (median), peakRssMb (VmHWM after a reset just before
 * opening), rssBeforeMb, arrays.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openLocalDataset } from '../src-main/engine/datasets/open-local-dataset';

const [file, field, readsText, seedText] = process.argv.slice(2);

function statusMb(key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The reads: a xorshift32 stream (two draws skipped, then demo, then step), as the reference draws them. */
export function readSequence(lengths: number[], reads: number, seed: number): Array<[number, number]> {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= (x << 13) >>> 0;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= (x << 5) >>> 0;
    x >>>= 0;
    return x;
  };
  const out: Array<[number, number]> = [];
  for (let i = 0; i < reads; i++) {
    next();
    const d = next() % lengths.length;
    out.push([d, next() % lengths[d]]);
  }
  return out;
}

try {
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  // Not Linux, or not allowed: the peak then includes start-up (reported as such by the caller).
}
const rssBeforeMb = statusMb('VmRSS');
const t0 = performance.now();
const reader = await openLocalDataset(file);
const openMs = performance.now() - t0;
const lengths = reader.summary.episodes.map((e) => e.length);
const times: number[] = [];
for (const [d, t] of readSequence(lengths, Number(readsText), Number(seedText))) {
  const t1 = performance.now();
  const frame = await reader.readEpisode(d, [field], { start: t, end: t + 1 });
  times.push(performance.now() - t1);
  if (!frame[field].data.length) throw new Error('empty frame');
}
await reader.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ openMs, frameMs: times[times.length >> 1], peakRssMb: statusMb('VmHWM'), rssBeforeMb, arrays: Object.keys(reader.summary.arrays).length }));
