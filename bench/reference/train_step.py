"""PyTorch reference for the training benchmark (bench/training.ts): dynamics-model training throughput.

The same training as src-main/mbrl/models/fit-regression.ts with valFraction 0: inputs = normalized
features of (s, a), targets = normalized s' - s (normalizers fitted once on the data, before timing);
each epoch draws a random permutation and takes floor(n / batch) minibatch steps of Adam (lr 1e-3,
betas 0.9/0.999, eps 1e-7 as tfjs) on MSE + weightDecay * sum of squared kernels (L2 in the loss, biases
not decayed, as our trainer does); the mean training loss is read back once per epoch.

Usage: python3 train_step.py [--n 10000] [--batch 256] [--runs 5 (epochs)] [--warmup 1] [--hidden 200,200,200]
         [--weight-decay 5e-5] [--lr 1e-3] [--data FILE] [--serve]
Prints JSON lines (units of --serve: one epoch): {"info": {...}}, {"name": "train epoch", "value": ms, ...},
{"name": "train throughput", "value": transitions/s, ...}, {"name": "train step", "value": ms, ...}.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from common import DynamicsModel, add_timing_args, drive, emit, environment_info, features, load_transitions, median


def bench(cfg):
    torch.manual_seed(cfg.seed)
    model = DynamicsModel([int(h) for h in cfg.hidden.split(',')], cfg.seed)
    obs, act, next_obs = load_transitions(cfg.data, cfg.n)
    model.fit_normalizers(obs, act, next_obs)
    x_all = (features(obs, act) - model.in_mean) / model.in_std
    y_all = (next_obs - obs - model.out_mean) / model.out_std
    opt = torch.optim.Adam(model.parameters, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-7)
    n = x_all.shape[0]
    steps = n // cfg.batch

    def epoch():
        start = time.perf_counter()
        perm = torch.randperm(n)
        losses = []
        for k in range(steps):
            idx = perm[k * cfg.batch : (k + 1) * cfg.batch]
            x, y = x_all[idx], y_all[idx]
            loss = F.mse_loss(model.mlp(x), y)
            if cfg.weight_decay > 0:
                loss = loss + cfg.weight_decay * model.kernel_squared_norm()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        torch.stack(losses).mean().item()  # one read-back per epoch, as fit-regression.ts
        return (time.perf_counter() - start) * 1000

    def summary(times):
        epoch_ms = median(times)
        emit({'name': 'train epoch', 'value': epoch_ms, 'unit': 'ms', 'runs': times, 'steps': steps})
        emit({'name': 'train throughput', 'value': steps * cfg.batch / (epoch_ms / 1000), 'unit': 'transitions/s'})
        emit({'name': 'train step', 'value': epoch_ms / steps, 'unit': 'ms'})

    drive(epoch, cfg, summary)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=10000)
    p.add_argument('--batch', type=int, default=256)
    add_timing_args(p, runs=5)
    p.add_argument('--hidden', default='200,200,200')
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--weight-decay', type=float, default=5e-5)
    p.add_argument('--data', help='raw float32 transitions: obs [n, 4] | act [n, 1] | next_obs [n, 4]')
    p.add_argument('--seed', type=int, default=0)
    cfg = p.parse_args()
    emit({'info': environment_info()})
    bench(cfg)


if __name__ == '__main__':
    main()
