"""PyTorch reference for the latent benchmark (bench/latent.ts): E2C training throughput and latent planning.

The same computation as src-main/mbrl/models/latent/e2c-model.ts at the sizes of bench/latent.ts:
40x40x3 frames in [0, 1]; encoder Conv2d 2x2 stride 2 -> 16, Conv2d 2x2 stride 2 -> 32 (ReLU), Linear
3200 -> 256 (ReLU) -> 2 dz (mean, log-variance softly bounded as splitGaussian does); decoder Linear dz ->
256 -> 3200 (ReLU), ConvTranspose2d 2x2 stride 2 -> 16 (ReLU), ConvTranspose2d 2x2 stride 2 -> 3 logits;
transition MLP dz -> 64 -> 64 -> 3 dz + dz * 2 (v, r, o, B; A = I + v r^T). Loss: Bernoulli NLL of o_t
and of o_{t+1} from the transition sample, KL to N(0, I), consistency KL of N(A mu + B a + o, A S A^T) to
the encoding of o_{t+1}. Adam lr 1e-3 (eps 1e-7), batch 64, 2048 transitions an epoch (random bytes:
content does not change the work); the loss terms are read back once an epoch.
Planning unit: one goal-image MPC action = CEM 500 candidates x 5 iterations, horizon 10, elites 10 %,
alpha 0.1, samples clipped to [-1, 1], scored by -sum_t ||z_t - z_goal||^2, under torch.no_grad.

Unit train-keypoints: the planar preset's nets (resources/presets/latent/e2c-point-mass.json): encoder = a
spatial-softmax keypoint layer (Conv2d 5x5 'same' -> 8, ReLU, softmax over the 1 600 pixels per channel with
a trained inverse temperature, expected (x, y)) -> Linear 16 -> 2 dz (dz 2); decoder MLP dz -> 150 -> 150 ->
4800 logits; transition dz -> 100 -> 100; Gaussian pixel likelihood sigma 0.1 on sigmoid(logits); batch 128.

Usage: python3 latent_e2c.py --what train|train-keypoints|plan [--runs 3] [--warmup 1] [--serve]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import add_timing_args, drive, emit, environment_info, median

SIZE, CH, DZ, ACT = 40, 3, 3, 2
N, BATCH = 2048, 64
POP, ITERS, H = 500, 5, 10


def split_gaussian(out):
    mu, raw = out[:, :DZ], out[:, DZ:]
    return mu, 6 * torch.tanh((raw + 2) / 6) - 2


class E2C(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(CH, 16, 2, 2), nn.ReLU(), nn.Conv2d(16, 32, 2, 2), nn.ReLU(), nn.Flatten(),
                                 nn.Linear(3200, 256), nn.ReLU(), nn.Linear(256, 2 * DZ))
        self.dec_fc = nn.Sequential(nn.Linear(DZ, 256), nn.ReLU(), nn.Linear(256, 3200), nn.ReLU())
        self.dec_conv = nn.Sequential(nn.ConvTranspose2d(32, 16, 2, 2), nn.ReLU(), nn.ConvTranspose2d(16, CH, 2, 2))
        self.trans = nn.Sequential(nn.Linear(DZ, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3 * DZ + DZ * ACT))

    def encode(self, x):
        return split_gaussian(self.enc(x))

    def decode(self, z):
        return self.dec_conv(self.dec_fc(z).view(-1, 32, 10, 10))

    def parts(self, z):
        h = self.trans(z)
        return h[:, :DZ], h[:, DZ:2 * DZ], h[:, 2 * DZ:3 * DZ], h[:, 3 * DZ:].view(-1, DZ, ACT)

    @staticmethod
    def apply(v, r, o, B, z, a):
        return z + v * (r * z).sum(1, keepdim=True) + (B * a.unsqueeze(1)).sum(2) + o

    def step(self, z, a):
        v, r, o, B = self.parts(z)
        return self.apply(v, r, o, B, z, a)


class Keypoints(nn.Module):
    """Spatial softmax: conv 'same', ReLU, softmax over pixels per channel, expected (x, y) in [-1, 1]."""

    def __init__(self, channels=8, kernel=5):
        super().__init__()
        self.conv = nn.Conv2d(CH, channels, kernel, padding=kernel // 2)
        self.log_inv_temp = nn.Parameter(torch.tensor(2.302585))
        g = torch.linspace(-1, 1, SIZE)
        self.register_buffer('grid', torch.stack([g.repeat(SIZE), g.repeat_interleave(SIZE)], 1))  # [H*W, 2]

    def forward(self, x):
        f = torch.relu(self.conv(x)).flatten(2)  # [B, K, H*W]
        p = torch.softmax(f * self.log_inv_temp.exp(), 2)
        return (p @ self.grid).flatten(1)  # [B, 2K]: x0, y0, x1, y1, ...


class KeypointE2C(E2C):
    """E2C with the planar preset's nets (dz 2, Gaussian pixels)."""
    dz = 2

    def __init__(self):
        nn.Module.__init__(self)
        self.enc = nn.Sequential(Keypoints(), nn.Linear(16, 2 * self.dz))
        self.dec_mlp = nn.Sequential(nn.Linear(self.dz, 150), nn.ReLU(), nn.Linear(150, 150), nn.ReLU(), nn.Linear(150, SIZE * SIZE * CH))
        self.trans = nn.Sequential(nn.Linear(self.dz, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 3 * self.dz + self.dz * ACT))

    def encode(self, x):
        out = self.enc(x)
        return out[:, :self.dz], 6 * torch.tanh((out[:, self.dz:] + 2) / 6) - 2

    def decode(self, z):
        return self.dec_mlp(z).view(-1, CH, SIZE, SIZE)

    def parts(self, z):
        d = self.dz
        h = self.trans(z)
        return h[:, :d], h[:, d:2 * d], h[:, 2 * d:3 * d], h[:, 3 * d:].view(-1, d, ACT)


def gaussian_nll(logits, target, std=0.1):
    return ((torch.sigmoid(logits) - target) ** 2).flatten(1).sum(1).mean() / (2 * std * std)


def bernoulli_nll(logits, target):
    return F.binary_cross_entropy_with_logits(logits, target, reduction='none').flatten(1).sum(1).mean()


def loss_terms(m, x, a, xn, nll=None):
    nll = nll or bernoulli_nll
    dz = mu_dim(m)
    mu, lv = m.encode(x)
    mun, lvn = m.encode(xn)
    z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
    v, r, o, B = m.parts(z)
    zhat = m.apply(v, r, o, B, z, a)
    muhat = m.apply(v, r, o, B, mu, a)
    rec = nll(m.decode(z), x)
    nrec = nll(m.decode(zhat), xn)
    kl = (0.5 * (lv.exp() + mu ** 2 - 1 - lv).sum(1)).mean()
    A = torch.eye(dz) + v.unsqueeze(2) * r.unsqueeze(1)
    var1, inv2 = lv.exp(), (-lvn).exp()
    trace = ((A ** 2 * var1.unsqueeze(1)).sum(2) * inv2).sum(1)
    maha = ((mun - muhat) ** 2 * inv2).sum(1)
    det = 1 + (r * v).sum(1)
    logdet1 = 2 * torch.log(det.abs() + 1e-6) + lv.sum(1)
    cons = (0.5 * (trace + maha - dz + lvn.sum(1) - logdet1)).mean()
    terms = torch.stack([rec, nrec, kl, cons])
    return terms.sum(), terms


def mu_dim(m):
    return getattr(m, 'dz', DZ)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--what', choices=['train', 'train-keypoints', 'plan'], default='train')
    add_timing_args(p, runs=3)
    cfg = p.parse_args()
    emit({'info': environment_info()})
    torch.manual_seed(0)
    keypoints = cfg.what == 'train-keypoints'
    m = KeypointE2C() if keypoints else E2C()
    batch = 128 if keypoints else BATCH
    obs = torch.randint(0, 256, (N, CH, SIZE, SIZE), dtype=torch.uint8)
    nxt = torch.randint(0, 256, (N, CH, SIZE, SIZE), dtype=torch.uint8)
    act = torch.rand(N, ACT) * 2 - 1

    if cfg.what in ('train', 'train-keypoints'):
        opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-7)

        def unit():
            start = time.perf_counter()
            perm = torch.randperm(N)
            seen = []
            for k in range(N // batch):
                idx = perm[k * batch:(k + 1) * batch]
                # Bytes to floats per minibatch, as fit-latent.ts does.
                total, terms = loss_terms(m, obs[idx].float() / 255, act[idx], nxt[idx].float() / 255, gaussian_nll if keypoints else None)
                opt.zero_grad(set_to_none=True)
                total.backward()
                opt.step()
                seen.append(terms.detach())
            torch.stack(seen).mean(0).tolist()
            return (time.perf_counter() - start) * 1000

        def summary(times):
            ms = median(times)
            emit({'name': 'latent train epoch', 'value': ms, 'unit': 'ms', 'runs': times})
            emit({'name': 'latent train throughput', 'value': (N // batch) * batch * 4 / (ms / 1000), 'unit': 'images/s'})

        drive(unit, cfg, summary)
    else:
        frame = obs[:1].float() / 255
        goal = obs[1:2].float() / 255
        with torch.no_grad():
            z_goal = m.encode(goal)[0]
        mean = torch.zeros(H, ACT)

        def unit():
            nonlocal mean
            start = time.perf_counter()
            with torch.no_grad():
                z0 = m.encode(frame)[0]
                mu, var = mean.clone(), torch.full((H, ACT), 0.5 ** 2)
                n_elite = round(0.1 * POP)
                for _ in range(ITERS):
                    samples = (mu + var.sqrt() * torch.randn(POP, H, ACT)).clamp(-1, 1)
                    z = z0.expand(POP, DZ)
                    cost = torch.zeros(POP)
                    for t in range(H):
                        z = m.step(z, samples[:, t])
                        cost += ((z - z_goal) ** 2).sum(1)
                    elites = samples[torch.topk(-cost, n_elite).indices]
                    mu = 0.1 * mu + 0.9 * elites.mean(0)
                    var = 0.1 * var + 0.9 * elites.var(0, unbiased=False)
                mean = torch.cat([mu[1:], torch.zeros(1, ACT)])  # warm start, as MpcAgent
                mu[0].tolist()
            return (time.perf_counter() - start) * 1000

        def summary(times):
            emit({'name': 'latent mpc plan latency', 'value': median(times), 'unit': 'ms', 'runs': times})

        drive(unit, cfg, summary)


if __name__ == '__main__':
    main()
