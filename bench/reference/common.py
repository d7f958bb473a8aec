"""Shared parts of the PyTorch references (bench/reference/*.py).

The same computation as the TypeScript library, written the way one would write it in PyTorch:

- features of a cart-pole observation [x, th, xd, thd] (src-main/mbrl/models/features.ts, angleDims [1]):
  the non-angle dims in order, then sin th, cos th -> [x, xd, thd, sin th, cos th]; with the action: 6 inputs;
- input normalizer (x - mean) / std and output normalizer z * std + mean, fitted on the data
  (src-main/mbrl/models/normalizer.ts: population std, std <= 1e-6 -> 1);
- MLP 6 -> 200 -> 200 -> 200 -> 4 with swish (SiLU) hidden layers, predicting the normalized change s' - s
  (src-main/mbrl/models/mlp-dynamics-model.ts);
- the cart-pole swing-up reward exp(-d^2 / l^2) - 0.01 a^2 (src-main/mbrl/env/tasks/cartpole.ts).

Data: a raw float32 file laid out as obs [N, 4] | act [N, 1] | next_obs [N, 4] (written by bench/reference.ts
from real cart-pole transitions), or, without one, synthetic transitions of the same shapes.

Threads: torch's defaults are kept (what they are is printed in the info line).
"""
import ctypes
import json
import math
import re
import sys

import torch
import torch.nn.functional as F

OBS_DIM = 4
ACT_DIM = 1
POLE_LENGTH = 0.6
PLAIN_DIMS = [0, 2, 3]  # every observation dim but the angle, in order
ANGLE_DIM = 1


def emit(obj):
    """Prints one JSON object a line (stdout is read by bench/reference.ts)."""
    print(json.dumps(obj), flush=True)


def blas_info():
    """Which BLAS torch's process loaded, and OpenBLAS's own thread count and core type when it is OpenBLAS."""
    libs = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            if 'blas' in path or 'mkl' in path:
                libs.add(path)
    info = {'blas_libraries': sorted(libs)}
    for path in sorted(libs):
        if 'openblas' in path:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                info['openblas_config'] = lib.openblas_get_config().decode()
                info['openblas_core'] = lib.openblas_get_corename().decode()
                info['openblas_threads'] = lib.openblas_get_num_threads()
            except (OSError, AttributeError):
                pass
            break
    return info


def environment_info():
    """torch version, thread counts and BLAS, for the record."""
    import os
    # Touch a matmul first so that the BLAS library is loaded and shows up in the process maps.
    torch.randn(8, 8) @ torch.randn(8, 8)
    info = {
        'torch': torch.__version__,
        'python': sys.version.split()[0],
        'torch_threads': torch.get_num_threads(),
        'torch_interop_threads': torch.get_num_interop_threads(),
        'cpu_capability': (re.findall(r'CPU capability usage: (\S+)', torch.__config__.show()) or [None])[0],
        'OPENBLAS_CORETYPE': os.environ.get('OPENBLAS_CORETYPE'),
        'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS'),
    }
    info.update(blas_info())
    return info


def load_transitions(path, n):
    """(obs [n, 4], act [n, 1], next_obs [n, 4]) from the raw float32 file, or synthetic ones without a path."""
    if path:
        with open(path, 'rb') as f:
            raw = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
        expected = n * (2 * OBS_DIM + ACT_DIM)
        if raw.numel() != expected:
            raise SystemExit(f'{path}: {raw.numel()} floats, expected {expected} for {n} transitions')
        obs = raw[: n * OBS_DIM].reshape(n, OBS_DIM)
        act = raw[n * OBS_DIM : n * (OBS_DIM + ACT_DIM)].reshape(n, ACT_DIM)
        next_obs = raw[n * (OBS_DIM + ACT_DIM) :].reshape(n, OBS_DIM)
        return obs.clone(), act.clone(), next_obs.clone()
    g = torch.Generator().manual_seed(0)
    obs = torch.randn(n, OBS_DIM, generator=g) * torch.tensor([0.5, 2.0, 1.0, 3.0]) + torch.tensor([0.0, math.pi, 0.0, 0.0])
    act = torch.rand(n, ACT_DIM, generator=g) * 2 - 1
    dt = 0.05
    acc = torch.stack([act[:, 0] * 10, -9.81 / POLE_LENGTH * torch.sin(obs[:, 1]) - act[:, 0] * torch.cos(obs[:, 1])], 1)
    next_obs = obs + dt * torch.cat([obs[:, 2:4], acc], 1)
    return obs, act, next_obs


def features(obs, act):
    """obs [B, 4], act [B, 1] -> model inputs [B, 6]: x, xd, thd, sin th, cos th, a."""
    theta = obs[:, ANGLE_DIM : ANGLE_DIM + 1]
    return torch.cat([obs[:, PLAIN_DIMS], torch.sin(theta), torch.cos(theta), act], 1)


def fit_normalizer(data):
    """mean, std per column (population std; std <= 1e-6 becomes 1), as normalizer.ts fits them."""
    d = data.double()
    mean = d.mean(0)
    std = d.var(0, unbiased=False).sqrt()
    std = torch.where(std > 1e-6, std, torch.ones_like(std))
    return mean.float(), std.float()


class DynamicsModel:
    """Normalized MLP on features, predicting the normalized state change (mlp-dynamics-model.ts)."""

    def __init__(self, hidden, seed=0):
        g = torch.Generator().manual_seed(seed)
        widths = [OBS_DIM + 1 + ACT_DIM, *hidden, OBS_DIM]
        # He-normal kernels [out, in] (torch's layout for F.linear) and zero biases, as mlp.ts.
        self.weights = [(torch.randn(o, i, generator=g) * math.sqrt(2 / i)).requires_grad_() for i, o in zip(widths[:-1], widths[1:])]
        self.biases = [torch.zeros(o, requires_grad=True) for o in widths[1:]]
        self.in_mean = torch.zeros(widths[0])
        self.in_std = torch.ones(widths[0])
        self.out_mean = torch.zeros(OBS_DIM)
        self.out_std = torch.ones(OBS_DIM)

    @property
    def parameters(self):
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def set_weights(self, kernels_in_out, biases):
        """Loads kernels given as [in, out] (tfjs layout) and biases."""
        with torch.no_grad():
            for w, k in zip(self.weights, kernels_in_out):
                w.copy_(k.t())
            for b, v in zip(self.biases, biases):
                b.copy_(v)

    def mlp(self, x):
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = F.linear(x, w, b)
            if l < last:
                x = F.silu(x)
        return x

    def fit_normalizers(self, obs, act, next_obs):
        self.in_mean, self.in_std = fit_normalizer(features(obs, act))
        self.out_mean, self.out_std = fit_normalizer(next_obs - obs)

    def predict(self, obs, act):
        """obs [B, 4], act [B, 1] -> next obs [B, 4]."""
        x = (features(obs, act) - self.in_mean) / self.in_std
        return obs + self.mlp(x) * self.out_std + self.out_mean

    def kernel_squared_norm(self):
        return sum((w * w).sum() for w in self.weights)


def cartpole_reward(next_obs, act):
    """exp(-d^2 / l^2) - 0.01 a^2, d the pole tip's distance to upright over x = 0: [B]."""
    l = POLE_LENGTH
    theta = next_obs[:, 1]
    dx = next_obs[:, 0] + l * torch.sin(theta)
    dz = l * torch.cos(theta) - l
    return torch.exp(-(dx * dx + dz * dz) / (l * l)) - 0.01 * act[:, 0] * act[:, 0]


def cartpole_terminated(next_obs):
    """The cart-pole never terminates: zeros [B] (computed, as the TypeScript objective does)."""
    return torch.zeros(next_obs.shape[0])


def add_cem_args(parser, population, horizon):
    """The CEM planner's shape arguments, shared by the MPC and PETS references."""
    parser.add_argument('--population', type=int, default=population)
    parser.add_argument('--horizon', type=int, default=horizon)
    parser.add_argument('--iterations', type=int, default=5)
    parser.add_argument('--elite-fraction', type=float, default=0.1)
    parser.add_argument('--alpha', type=float, default=0.1)
    parser.add_argument('--hidden', default='200,200,200')


def add_timing_args(parser, runs):
    parser.add_argument('--runs', type=int, default=runs, help='timed units (standalone mode)')
    parser.add_argument('--warmup', type=int, default=1, help='untimed units first')
    parser.add_argument('--serve', action='store_true', help='after the warm-up print {"ready": true}, then time one unit per "step" line on stdin')


def drive(unit, cfg, summary):
    """Runs the warm-up, then either cfg.runs timed units (summary(times) prints the result) or, with
    --serve, one timed unit per "step" line on stdin, answering {"ms": t} each (until "quit" or EOF).
    Serving lets bench/reference.ts interleave our runs and the reference's, so both see the same load."""
    for _ in range(cfg.warmup):
        unit()
    if cfg.serve:
        emit({'ready': True})
        for line in sys.stdin:
            command = line.strip()
            if command == 'step':
                emit({'ms': unit()})
            elif command == 'quit':
                break
        return
    summary([unit() for _ in range(cfg.runs)])


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2
