"""Reference for the datasets bench (bench/datasets.ts): the same open, summary and scrub with h5py.

Usage: dataset_scrub.py FILE FIELD READS SEED
Prints one JSON object: open_ms (open + list every demo's arrays with shape and dtype), frame_ms
(median of READS single-frame reads at the same (demo, step) sequence as ours), peak_rss_mb (peak
resident memory while opening and scrubbing, after the imports), rss_before_mb.
"""
import json
import statistics
import sys
import time

import h5py


def rss_mb(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float('nan')


def reset_peak():
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass


def sequence(demos, lengths, reads, seed):
    """The (demo, step) reads: a xorshift32 stream, as bench/datasets-probe.ts draws them."""
    x = seed or 1
    out = []
    for _ in range(reads):
        for _ in range(2):
            x ^= (x << 13) & 0xFFFFFFFF
            x ^= x >> 17
            x ^= (x << 5) & 0xFFFFFFFF
        d = x % demos
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append((d, x % lengths[d]))
    return out


def main():
    path, field, reads, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    reset_peak()
    before = rss_mb('VmRSS')
    t0 = time.perf_counter()
    f = h5py.File(path, 'r')
    data = f['data']
    names = sorted((n for n in data.keys() if n.startswith('demo_')), key=lambda n: int(n.split('_')[1]))
    summary = {}
    for n in names:
        data[n].visititems(lambda k, v, n=n: summary.__setitem__(f'data/{n}/{k}', (v.shape, str(v.dtype))) if isinstance(v, h5py.Dataset) else None)
    open_ms = (time.perf_counter() - t0) * 1000
    lengths = [data[n]['actions'].shape[0] for n in names]
    times = []
    for d, t in sequence(len(names), lengths, reads, seed):
        t1 = time.perf_counter()
        frame = data[names[d]][field][t]
        times.append((time.perf_counter() - t1) * 1000)
        assert frame.size > 0
    f.close()
    print(json.dumps({'open_ms': open_ms, 'frame_ms': statistics.median(times), 'peak_rss_mb': rss_mb('VmHWM'), 'rss_before_mb': before, 'arrays': len(summary)}))


main()
