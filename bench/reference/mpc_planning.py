"""PyTorch reference for the planning benchmark (bench/planning.ts): latency of one MPC action.

One MPC action = one CEM optimisation (src-main/mbrl/planning/cem-optimizer.ts) of the model's return
(model-rollout.ts: modelReturnObjective) from the current observation, warm-started with the rest of
the previous plan (mpc-agent.ts). CEM: Gaussian over [population, horizon, 1] action sequences, initial
std = range / 4, samples clipped to [-1, 1], elites = the best eliteFraction, mean/variance smoothed by
alpha, answer = mean of the last elites. The model is the cart-pole MLP of common.py; the reward is
summed over the horizon, masked after a predicted termination (never, for the cart-pole).

Usage: python3 mpc_planning.py [--population 500] [--horizon 30] [--iterations 5] [--hidden 200,200,200]
         [--runs 5] [--warmup 1] [--data FILE --n N] [--serve]
       python3 mpc_planning.py --check FILE   (returns of given weights and actions, for check-reference.ts)
Prints JSON lines: {"info": {...}}, then {"name": "mpc plan latency", "value": ms, "unit": "ms", "runs": [...]}.
"""
import argparse
import json
import math
import time

import torch

from common import ACT_DIM, DynamicsModel, add_cem_args, add_timing_args, cartpole_reward, cartpole_terminated, drive, emit, environment_info, load_transitions, median


def model_return(model, obs0, actions):
    """actions [N, H, A] -> summed rewards [N] of rolling each sequence through the model from obs0 [D]."""
    n, horizon, _ = actions.shape
    obs = obs0.expand(n, -1)
    total = torch.zeros(n)
    alive = torch.ones(n)
    for t in range(horizon):
        act = actions[:, t, :]
        nxt = model.predict(obs, act)
        total = total + alive * cartpole_reward(nxt, act)
        alive = alive * (1 - cartpole_terminated(nxt))
        obs = nxt
    return total


def cem(objective, initial_mean, cfg, gen, low=-1.0, high=1.0):
    """One CEM optimisation of objective (actions [N, H, A] -> returns [N]): initial_mean [H, A] -> plan
    [H, A] (mean of the final elites, clipped)."""
    n = cfg.population
    mean = initial_mean.clone()
    var = torch.full_like(mean, ((high - low) * 0.25) ** 2)
    n_elite = max(1, math.floor(cfg.elite_fraction * n + 0.5))  # JS Math.round
    elite_mean = mean
    for _ in range(cfg.iterations):
        samples = mean + var.sqrt() * torch.randn(n, *mean.shape, generator=gen)
        samples.clamp_(low, high)
        returns = objective(samples)
        returns = torch.nan_to_num(returns, nan=-math.inf)
        elites = samples[torch.topk(returns, n_elite).indices]
        elite_mean = elites.mean(0)
        elite_var = elites.var(0, unbiased=False)
        mean = cfg.alpha * mean + (1 - cfg.alpha) * elite_mean
        var = cfg.alpha * var + (1 - cfg.alpha) * elite_var
    return elite_mean.clamp(low, high)


def drive_mpc(objective, cfg, gen, name):
    """Times MPC actions: one CEM optimisation each, warm-started with the rest of the previous plan
    padded with a mid-range action, as the TypeScript MpcAgent does."""
    state = {'plan': torch.zeros(cfg.horizon, ACT_DIM), 'calls': 0}

    def mpc_action():
        plan = state['plan']
        warm = torch.cat([plan[1:], torch.zeros(1, ACT_DIM)]) if state['calls'] else plan
        start = time.perf_counter()
        with torch.inference_mode():
            plan = cem(objective, warm, cfg, gen)
            plan[0].item()  # the action leaves the planner (torch is eager; this is for symmetry)
        elapsed = (time.perf_counter() - start) * 1000
        state['plan'], state['calls'] = plan, state['calls'] + 1
        return elapsed

    drive(mpc_action, cfg, lambda times: emit({'name': name, 'value': median(times), 'unit': 'ms', 'runs': times}))


def bench(cfg):
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = DynamicsModel([int(h) for h in cfg.hidden.split(',')], cfg.seed)
    model.fit_normalizers(*load_transitions(cfg.data, cfg.n))
    obs0 = torch.tensor([0.0, math.pi, 0.0, 0.0])  # hanging down, at rest: where episodes start
    drive_mpc(lambda actions: model_return(model, obs0, actions), cfg, gen, 'mpc plan latency')


def check(path):
    """Returns for the weights, normalizers, obs0 and actions in a JSON file (see bench/check-reference.ts)."""
    with open(path) as f:
        spec = json.load(f)
    model = DynamicsModel(spec['hidden'])
    model.set_weights(
        [torch.tensor(k, dtype=torch.float32).reshape(i, o) for k, (i, o) in zip(spec['kernels'], spec['kernelShapes'])],
        [torch.tensor(b, dtype=torch.float32) for b in spec['biases']],
    )
    model.in_mean, model.in_std = torch.tensor(spec['inMean']), torch.tensor(spec['inStd'])
    model.out_mean, model.out_std = torch.tensor(spec['outMean']), torch.tensor(spec['outStd'])
    actions = torch.tensor(spec['actions'], dtype=torch.float32).reshape(spec['population'], spec['horizon'], ACT_DIM)
    with torch.inference_mode():
        returns = model_return(model, torch.tensor(spec['obs0']), actions)
    emit({'returns': returns.tolist()})


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_cem_args(p, population=500, horizon=30)
    add_timing_args(p, runs=5)
    p.add_argument('--data', help='raw float32 transitions: obs [n, 4] | act [n, 1] | next_obs [n, 4]')
    p.add_argument('--n', type=int, default=2000, help='transitions in --data (or synthetic ones to make)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--check', help='JSON file: weights, normalizers, obs0, actions; prints the returns')
    cfg = p.parse_args()
    if cfg.check:
        check(cfg.check)
        return
    emit({'info': environment_info()})
    bench(cfg)


if __name__ == '__main__':
    main()
