"""PyTorch reference for the PETS-shaped planning benchmark (bench/pets.ts): latency of one MPC action.

CEM (as mpc_planning.py) over a probabilistic ensemble with trajectory sampling: E members, each an MLP
6 -> 3x200 SiLU -> 8 (mean and log-variance of the normalized state change; log-variance soft-bounded
to [-10, 0.5] as PETS/mbrl-lib), P particles per candidate with TS-infinity (each particle stays with one
member; P / E per member), next = obs + denormalize(mean + exp(logvar / 2) * noise); a candidate's
return is the mean over its particles of the summed cart-pole reward. The members run as one batched
matmul over [E, rows / E, .] (mbrl-lib's layout), the fast way in PyTorch.

Usage: python3 pets_planning.py [--members 5] [--particles 20] [--population 400] [--horizon 25]
         [--iterations 5] [--hidden 200,200,200] [--runs 3] [--warmup 1] [--data FILE --n N] [--serve]
Prints JSON lines: {"info": {...}}, then {"name": "pets plan latency", "value": ms, "unit": "ms", "runs": [...]}.
"""
import argparse
import math

import torch
import torch.nn.functional as F

from common import ACT_DIM, OBS_DIM, add_cem_args, add_timing_args, cartpole_reward, emit, environment_info, features, fit_normalizer, load_transitions
from mpc_planning import cem, drive_mpc


class Ensemble:
    def __init__(self, members, hidden, seed=0):
        g = torch.Generator().manual_seed(seed)
        widths = [OBS_DIM + 1 + ACT_DIM, *hidden, 2 * OBS_DIM]
        # Kernels [E, in, out] (He-normal) and biases [E, 1, out], for torch.baddbmm.
        self.kernels = [torch.randn(members, i, o, generator=g) * math.sqrt(2 / i) for i, o in zip(widths[:-1], widths[1:])]
        self.biases = [torch.zeros(members, 1, o) for o in widths[1:]]
        self.max_logvar = torch.full((OBS_DIM,), 0.5)
        self.min_logvar = torch.full((OBS_DIM,), -10.0)
        self.members = members

    def fit_normalizers(self, obs, act, next_obs):
        self.in_mean, self.in_std = fit_normalizer(features(obs, act))
        self.out_mean, self.out_std = fit_normalizer(next_obs - obs)

    def sample(self, obs, act, gen):
        """obs [E * B, 4], act [E * B, 1], member m owning rows m*B ... (m+1)*B - 1 -> next obs [E * B, 4]."""
        x = ((features(obs, act) - self.in_mean) / self.in_std).reshape(self.members, -1, OBS_DIM + 1 + ACT_DIM)
        last = len(self.kernels) - 1
        for l, (w, b) in enumerate(zip(self.kernels, self.biases)):
            x = torch.baddbmm(b, x, w)
            if l < last:
                x = F.silu(x)
        out = x.reshape(obs.shape[0], 2 * OBS_DIM)
        mean, logvar = out[:, :OBS_DIM], out[:, OBS_DIM:]
        logvar = self.max_logvar - F.softplus(self.max_logvar - logvar)
        logvar = self.min_logvar + F.softplus(logvar - self.min_logvar)
        delta = mean + torch.exp(0.5 * logvar) * torch.randn(mean.shape, generator=gen)
        return obs + delta * self.out_std + self.out_mean


def particle_return(ensemble, particles, gen, obs0, actions):
    """actions [N, H, A] -> mean over each candidate's particles of the summed reward [N]."""
    n, horizon, a_dim = actions.shape
    e = ensemble.members
    per = particles // e
    rows = e * n * per  # row = m * (n * per) + c * per + j
    obs = obs0.expand(rows, -1)
    total = torch.zeros(rows)
    for t in range(horizon):
        act = actions[:, t, :].reshape(1, n, 1, a_dim).expand(e, n, per, a_dim).reshape(rows, a_dim)
        nxt = ensemble.sample(obs, act, gen)
        total = total + cartpole_reward(nxt, act)
        obs = nxt
    return total.reshape(e, n, per).mean((0, 2))


def bench(cfg):
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    ens = Ensemble(cfg.members, [int(h) for h in cfg.hidden.split(',')], cfg.seed)
    ens.fit_normalizers(*load_transitions(cfg.data, cfg.n))
    obs0 = torch.tensor([0.0, math.pi, 0.0, 0.0])
    drive_mpc(lambda actions: particle_return(ens, cfg.particles, gen, obs0, actions), cfg, gen, 'pets plan latency')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--members', type=int, default=5)
    p.add_argument('--particles', type=int, default=20)
    add_cem_args(p, population=400, horizon=25)
    add_timing_args(p, runs=3)
    p.add_argument('--data')
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--seed', type=int, default=0)
    cfg = p.parse_args()
    if cfg.particles % cfg.members:
        raise SystemExit('--particles must be a multiple of --members')
    emit({'info': environment_info()})
    bench(cfg)


if __name__ == '__main__':
    main()
