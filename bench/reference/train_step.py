"""PyTorch reference for the training benchmark (bench/training.ts): dynamics-model training throughput.

The same training as src-main/mbrl/models/fit-regression.ts with valFraction 0: inputs = normalized
features of (s, a), targets = normalized s' - s (normalizers fitted once on the data, before timing);
each epoch draws a random permutation and takes floor(n / batch) minibatch steps of Adam (lr 1e-3,
betas 0.9/0.999, eps 1e-7 as tfjs) on MSE + weightDecay * sum of squared kernels (L2 in the loss, biases
not decayed, as our trainer does); the mean training loss is read back once per epoch.

With --members K > 1 or --probabilistic: the ensemble step of fitMembers (ensemble-dynamics-model.ts,
sampling 'shuffle'): K members trained side by side, each with its own permutation of the data every
epoch, one Adam step per minibatch on the sum of the members' losses. Probabilistic members output mean
and raw log-variance [B, 2D], soft-bounded by learned per-member bounds (max - softplus(max - raw), then
min + softplus(. - min); initial 0.5 / -10, gaussian-head.ts), loss = mean over batch and dims of
(mean - y)^2 exp(-logvar) + logvar, plus 0.01 (sum max - sum min), plus weightDecay * sum of squared
kernels. Written the way one writes an ensemble in PyTorch (mbrl-lib): kernels [K, in, out], one
torch.baddbmm per layer over all members.

Usage: python3 train_step.py [--n 10000] [--batch 256] [--runs 5 (epochs)] [--warmup 1] [--hidden 200,200,200]
         [--weight-decay 5e-5] [--lr 1e-3] [--members 1] [--probabilistic] [--data FILE] [--serve]
Prints JSON lines (units of --serve: one epoch): {"info": {...}}, {"name": "train epoch", "value": ms, ...},
{"name": "train throughput", "value": transitions/s, ...}, {"name": "train step", "value": ms, ...}.
"""
import argparse
import math
import time

import torch
import torch.nn.functional as F

from common import ACT_DIM, OBS_DIM, DynamicsModel, add_timing_args, drive, emit, environment_info, features, fit_normalizer, load_transitions, median

BOUNDS_PENALTY = 0.01


class EnsembleTrainer:
    """K members as batched kernels [K, in, out] (torch.baddbmm), deterministic or probabilistic."""

    def __init__(self, members, hidden, probabilistic, seed=0):
        g = torch.Generator().manual_seed(seed)
        out = 2 * OBS_DIM if probabilistic else OBS_DIM
        widths = [OBS_DIM + 1 + ACT_DIM, *hidden, out]
        self.kernels = [(torch.randn(members, i, o, generator=g) * math.sqrt(2 / i)).requires_grad_() for i, o in zip(widths[:-1], widths[1:])]
        self.biases = [torch.zeros(members, 1, o, requires_grad=True) for o in widths[1:]]
        self.max_logvar = torch.full((members, 1, OBS_DIM), 0.5, requires_grad=True) if probabilistic else None
        self.min_logvar = torch.full((members, 1, OBS_DIM), -10.0, requires_grad=True) if probabilistic else None
        self.members = members

    @property
    def parameters(self):
        bounds = [self.max_logvar, self.min_logvar] if self.max_logvar is not None else []
        return [p for pair in zip(self.kernels, self.biases) for p in pair] + bounds

    def loss(self, x, y, weight_decay):
        """x [K, B, in], y [K, B, D] -> sum over members of each member's loss."""
        last = len(self.kernels) - 1
        for l, (w, b) in enumerate(zip(self.kernels, self.biases)):
            x = torch.baddbmm(b, x, w)
            if l < last:
                x = F.silu(x)
        if self.max_logvar is None:
            loss = ((x - y) ** 2).mean((1, 2)).sum()
        else:
            mean, logvar = x[..., :OBS_DIM], x[..., OBS_DIM:]
            logvar = self.max_logvar - F.softplus(self.max_logvar - logvar)
            logvar = self.min_logvar + F.softplus(logvar - self.min_logvar)
            nll = ((mean - y) ** 2 * torch.exp(-logvar) + logvar).mean((1, 2)).sum()
            loss = nll + BOUNDS_PENALTY * (self.max_logvar.sum() - self.min_logvar.sum())
        if weight_decay > 0:
            loss = loss + weight_decay * sum((w * w).sum() for w in self.kernels)
        return loss


def time_epochs(cfg, opt, steps, shuffle, step_loss):
    """Times epochs of `steps` Adam steps: shuffle() draws the epoch's order, step_loss(order, k) is minibatch k's
    loss; the mean training loss is read back once per epoch, as fit-regression.ts does."""

    def epoch():
        start = time.perf_counter()
        order = shuffle()
        losses = []
        for k in range(steps):
            loss = step_loss(order, k)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        torch.stack(losses).mean().item()
        return (time.perf_counter() - start) * 1000

    def summary(times):
        epoch_ms = median(times)
        emit({'name': 'train epoch', 'value': epoch_ms, 'unit': 'ms', 'runs': times, 'steps': steps})
        emit({'name': 'train throughput', 'value': steps * cfg.batch / (epoch_ms / 1000), 'unit': 'transitions/s'})
        emit({'name': 'train step', 'value': epoch_ms / steps, 'unit': 'ms'})

    drive(epoch, cfg, summary)


def bench_ensemble(cfg):
    torch.manual_seed(cfg.seed)
    model = EnsembleTrainer(cfg.members, [int(h) for h in cfg.hidden.split(',')], cfg.probabilistic, cfg.seed)
    obs, act, next_obs = load_transitions(cfg.data, cfg.n)
    in_mean, in_std = fit_normalizer(features(obs, act))
    out_mean, out_std = fit_normalizer(next_obs - obs)
    x_all = (features(obs, act) - in_mean) / in_std
    y_all = (next_obs - obs - out_mean) / out_std
    opt = torch.optim.Adam(model.parameters, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-7)
    n = x_all.shape[0]

    def shuffle():
        return torch.stack([torch.randperm(n) for _ in range(cfg.members)])  # each member its own shuffle

    def step_loss(perms, k):
        idx = perms[:, k * cfg.batch : (k + 1) * cfg.batch]  # [K, B]
        return model.loss(x_all[idx], y_all[idx], cfg.weight_decay)

    time_epochs(cfg, opt, n // cfg.batch, shuffle, step_loss)


def bench(cfg):
    torch.manual_seed(cfg.seed)
    model = DynamicsModel([int(h) for h in cfg.hidden.split(',')], cfg.seed)
    obs, act, next_obs = load_transitions(cfg.data, cfg.n)
    model.fit_normalizers(obs, act, next_obs)
    x_all = (features(obs, act) - model.in_mean) / model.in_std
    y_all = (next_obs - obs - model.out_mean) / model.out_std
    opt = torch.optim.Adam(model.parameters, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-7)
    n = x_all.shape[0]

    def step_loss(perm, k):
        idx = perm[k * cfg.batch : (k + 1) * cfg.batch]
        x, y = x_all[idx], y_all[idx]
        loss = F.mse_loss(model.mlp(x), y)
        if cfg.weight_decay > 0:
            loss = loss + cfg.weight_decay * model.kernel_squared_norm()
        return loss

    time_epochs(cfg, opt, n // cfg.batch, lambda: torch.randperm(n), step_loss)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=10000)
    p.add_argument('--batch', type=int, default=256)
    add_timing_args(p, runs=5)
    p.add_argument('--hidden', default='200,200,200')
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--weight-decay', type=float, default=5e-5)
    p.add_argument('--data', help='raw float32 transitions: obs [n, 4] | act [n, 1] | next_obs [n, 4]')
    p.add_argument('--members', type=int, default=1)
    p.add_argument('--probabilistic', action='store_true')
    p.add_argument('--seed', type=int, default=0)
    cfg = p.parse_args()
    emit({'info': environment_info()})
    if cfg.members > 1 or cfg.probabilistic:
        bench_ensemble(cfg)
    else:
        bench(cfg)


if __name__ == '__main__':
    main()
