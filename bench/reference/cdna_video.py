"""PyTorch reference for the video benchmarks (bench/video.ts): the CDNA video predictor of
src-main/mbrl/models/video/ written the way one would in PyTorch (NCHW, grouped convolution for the
per-sample kernels), same sizes and the same computation:

- encoder: frame - 0.5 -> three (3x3 conv, ReLU, 2x2 average pool) stages: S -> S/2 -> S/4 -> S/8
  (with --pools 2 the third stage has no pool: the config's `pools`);
- one convolutional GRU at S/2^pools (gates conv on [x, a tiled, h] -> z, r; candidate conv on [x, a, r*h]);
- kernel head: GRU state flattened -> linear -> K*k*k -> softmax per kernel;
- decoder: nearest 2x upsampling (where the stage pooled) + skip + 3x3 conv + ReLU twice, then 3x3 conv -> K+1 masks, softmax;
- next frame (and designated-pixel maps, renormalised) = mask0 * prev + sum_m mask_m * (kernel_m * prev).

Units:
- rollout: the planner's batch: warm up on 2 context frames at batch 1, then N candidates x H steps
  with one designated-pixel map, scored by the expected distance to a goal pixel (no gradients).
- train: one Adam step on B sequences of 2 context + H frames, the model fed its own predictions
  after the context (scheduled sampling at its end), MSE over every predicted frame.

Usage: python3 cdna_video.py --mode rollout|train [--size 64] [--widths 8,16,32] [--pools 3] [--kernels 4] [--kernel-size 5]
         [--population 200] [--horizon 10] [--batch 8] [--device cpu|cuda] [--runs 5] [--warmup 1] [--serve]

--device cuda runs the same computation on the GPU (torch CUDA): the reference for a GPU backend's rows.
Each timed unit ends with a read-back to the host (cost.cpu(), loss.item()), which waits for the GPU.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from common import add_timing_args, drive, emit, environment_info, median


class Cdna(torch.nn.Module):
    def __init__(self, size, channels, act_dim, widths, kernels, kernel_size, pools=3):
        super().__init__()
        c1, c2, c3 = widths
        self.size, self.C, self.A, self.K, self.k, self.c3, self.pools = size, channels, act_dim, kernels, kernel_size, c3, pools
        self.sb = size // 2 ** pools
        conv = lambda cin, cout: torch.nn.Conv2d(cin, cout, 3, padding=1)
        self.enc1, self.enc2, self.enc3 = conv(channels, c1), conv(c1, c2), conv(c2, c3)
        gru_in = c3 + act_dim + c3
        self.gates, self.candidate = conv(gru_in, 2 * c3), conv(gru_in, c3)
        self.kernel_head = torch.nn.Linear(self.sb * self.sb * c3, kernels * kernel_size * kernel_size)
        self.dec3, self.dec2, self.masks = conv(c3 + c2, c2), conv(c2 + c1, c1), conv(c1 + channels, kernels + 1)

    def zero_state(self, batch):
        return torch.zeros(batch, self.c3, self.sb, self.sb, device=self.enc1.weight.device)

    def step(self, frame, action, hidden):
        """frame [B, C, S, S], action [B, A], hidden [B, c3, S/2^pools, S/2^pools] -> kernels [B, K, k, k], masks [B, K+1, S, S], hidden."""
        B = frame.shape[0]
        x = frame - 0.5
        down = lambda stage, t: F.avg_pool2d(t, 2) if stage <= self.pools else t
        up = lambda stage, t: F.interpolate(t, scale_factor=2) if stage <= self.pools else t
        e1 = down(1, F.relu(self.enc1(x)))
        e2 = down(2, F.relu(self.enc2(e1)))
        e3 = down(3, F.relu(self.enc3(e2)))
        sb = self.sb
        inp = torch.cat([e3, action.view(B, self.A, 1, 1).expand(B, self.A, sb, sb)], 1)
        z, r = torch.sigmoid(self.gates(torch.cat([inp, hidden], 1))).chunk(2, 1)
        cand = torch.tanh(self.candidate(torch.cat([inp, r * hidden], 1)))
        h = (1 - z) * hidden + z * cand
        kernels = torch.softmax(self.kernel_head(h.flatten(1)).view(B, self.K, -1), -1).view(B, self.K, self.k, self.k)
        d3 = F.relu(self.dec3(torch.cat([up(3, h), e2], 1)))
        d2 = F.relu(self.dec2(torch.cat([up(2, d3), e1], 1)))
        masks = torch.softmax(self.masks(torch.cat([up(1, d2), x], 1)), 1)
        return kernels, masks, h


def transform(images, kernels, masks):
    """images [B, C, S, S] moved by each sample's K kernels (grouped conv) and composited by masks."""
    B, C, S, _ = images.shape
    K, k = kernels.shape[1], kernels.shape[2]
    weight = kernels.unsqueeze(1).expand(B, C, K, k, k).reshape(B * C * K, 1, k, k)
    moved = F.conv2d(images.reshape(1, B * C, S, S), weight, padding=k // 2, groups=B * C).view(B, C, K, S, S)
    return masks[:, :1] * images + (moved * masks[:, 1:].unsqueeze(1)).sum(2)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--mode', choices=['rollout', 'train'], default='rollout')
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--channels', type=int, default=3)
    p.add_argument('--act-dim', type=int, default=2)
    p.add_argument('--widths', default='8,16,32')
    p.add_argument('--pools', type=int, default=3)
    p.add_argument('--kernels', type=int, default=4)
    p.add_argument('--kernel-size', type=int, default=5)
    p.add_argument('--population', type=int, default=200)
    p.add_argument('--horizon', type=int, default=10)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--device', default='cpu', help="torch device: cpu, or cuda for a GPU backend's reference")
    add_timing_args(p, runs=5)
    cfg = p.parse_args()
    dev = torch.device(cfg.device)
    info = environment_info()
    info['device'] = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else 'cpu'
    emit({'info': info})
    torch.manual_seed(0)
    S, C, A, H = cfg.size, cfg.channels, cfg.act_dim, cfg.horizon
    model = Cdna(S, C, A, [int(w) for w in cfg.widths.split(',')], cfg.kernels, cfg.kernel_size, cfg.pools).to(dev)

    if cfg.mode == 'rollout':
        N = cfg.population
        context = torch.rand(2, 1, C, S, S, device=dev)
        goal = torch.tensor([40.0, 20.0], device=dev)
        ys, xs = torch.meshgrid(torch.arange(S, dtype=torch.float32, device=dev), torch.arange(S, dtype=torch.float32, device=dev), indexing='ij')
        distance = torch.sqrt((xs - goal[0]) ** 2 + (ys - goal[1]) ** 2)

        def unit():
            start = time.perf_counter()
            with torch.no_grad():
                actions = torch.rand(N, H, A, device=dev) * 2 - 1
                hidden = model.step(context[0], torch.zeros(1, A, device=dev), model.zero_state(1))[2]
                maps = torch.zeros(1, 1, S, S, device=dev)
                maps[0, 0, 32, 20] = 1
                state = torch.cat([context[1], maps], 1).expand(N, C + 1, S, S)
                hidden = hidden.expand(N, -1, -1, -1)
                cost = torch.zeros(N, device=dev)
                for t in range(H):
                    kernels, masks, hidden = model.step(state[:, :C], actions[:, t], hidden)
                    moved = transform(state, kernels, masks)
                    p = moved[:, C:]
                    p = p / p.sum((2, 3), keepdim=True).clamp_min(1e-12)
                    state = torch.cat([moved[:, :C], p], 1)
                    cost += (p[:, 0] * distance).sum((1, 2))
                cost.cpu().numpy()
            return (time.perf_counter() - start) * 1000

        def summary(times):
            ms = median(times)
            emit({'name': 'video rollout', 'value': ms, 'unit': 'ms', 'runs': times})
            emit({'name': 'video predicted frames', 'value': N * H / (ms / 1000), 'unit': 'frames/s'})
    else:
        B, L = cfg.batch, 2 + H
        frames = torch.rand(B, L, C, S, S, device=dev)
        actions = torch.rand(B, L - 1, A, device=dev) * 2 - 1
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, eps=1e-7)

        def unit():
            start = time.perf_counter()
            hidden = model.zero_state(B)
            inp = frames[:, 0]
            losses = []
            for t in range(L - 1):
                kernels, masks, hidden = model.step(inp, actions[:, t], hidden)
                pred = transform(inp, kernels, masks)
                losses.append(F.mse_loss(pred, frames[:, t + 1]))
                inp = frames[:, t + 1] if t + 1 < 2 else pred
            loss = torch.stack(losses).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss.item()
            return (time.perf_counter() - start) * 1000

        def summary(times):
            ms = median(times)
            emit({'name': 'video train step', 'value': ms, 'unit': 'ms', 'runs': times})
            emit({'name': 'video train throughput', 'value': B / (ms / 1000), 'unit': 'sequences/s'})

    drive(unit, cfg, summary)


if __name__ == '__main__':
    main()
