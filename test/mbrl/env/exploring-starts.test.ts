/** Exploring starts: a pixel env that starts episodes anywhere for data collection, then back to the task's own start. */
import { describe, expect, it } from 'vitest';
import { exploringStart, makePixelEnv, pendulumExploringStart, type StartSampler } from '../../../src-main/mbrl/env';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

const angle = (s: ArrayLike<number>) => Math.atan2(s[1], s[0]);

describe('pendulumExploringStart', () => {
  it('draws angles over the whole circle, at rest by default, with the given speed range otherwise', () => {
    const rng = new Rng(3);
    const qpos = new Float64Array(1);
    const qvel = new Float64Array(1);
    const angles: number[] = [];
    for (let i = 0; i < 400; i++) {
      pendulumExploringStart(rng, qpos, qvel);
      angles.push(qpos[0]);
      expect(qvel[0]).toBe(0);
    }
    expect(Math.min(...angles)).toBeGreaterThanOrEqual(-Math.PI);
    expect(Math.max(...angles)).toBeLessThanOrEqual(Math.PI);
    // Every eighth of the circle is hit (uniform: 50 expected in each).
    const bins = new Array(8).fill(0);
    for (const a of angles) bins[Math.min(7, Math.floor(((a + Math.PI) / (2 * Math.PI)) * 8))]++;
    for (const n of bins) expect(n).toBeGreaterThan(25);
    // Near upright (|θ| < 0.3) about 0.3/π of the time, against never for the task's own start.
    expect(angles.filter((a) => Math.abs(a) < 0.3).length).toBeGreaterThan(20);
    const speeds: number[] = [];
    for (let i = 0; i < 200; i++) {
      pendulumExploringStart(rng, qpos, qvel, 2);
      speeds.push(qvel[0]);
    }
    expect(Math.max(...speeds.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(Math.max(...speeds)).toBeGreaterThan(1.5);
    expect(Math.min(...speeds)).toBeLessThan(-1.5);
    const near: number[] = [];
    for (let i = 0; i < 200; i++) {
      pendulumExploringStart(rng, qpos, qvel, 0, 0.5);
      near.push(qpos[0]);
    }
    expect(Math.max(...near.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...near)).toBeGreaterThan(0.4);
    expect(Math.min(...near)).toBeLessThan(-0.4);
  });
});

describe('exploringStart', () => {
  it('is keyed by state task, image tasks by their state task; tasks without one give null', () => {
    expect(exploringStart('pendulum')).not.toBeNull();
    const draw = (sample: StartSampler) => {
      const qpos = new Float64Array(1);
      const qvel = new Float64Array(1);
      sample(new Rng(5), qpos, qvel);
      return [qpos[0], qvel[0]];
    };
    expect(draw(exploringStart('pendulum-pixels')!)).toEqual(draw(exploringStart('pendulum')!));
    expect(exploringStart('point-mass-pixels')).toBeNull();
    expect(exploringStart('no-such-task')).toBeNull();
  });

  it('draws over the range given: the pendulum within maxAngle of upright, turning up to maxSpeed', () => {
    const sample = exploringStart('pendulum', { maxAngle: 0.3, maxSpeed: 1.5 })!;
    const rng = new Rng(9);
    const qpos = new Float64Array(1);
    const qvel = new Float64Array(1);
    const speeds: number[] = [];
    for (let i = 0; i < 100; i++) {
      sample(rng, qpos, qvel);
      expect(Math.abs(qpos[0])).toBeLessThanOrEqual(0.3);
      speeds.push(Math.abs(qvel[0]));
    }
    expect(Math.max(...speeds)).toBeLessThanOrEqual(1.5);
    expect(Math.max(...speeds)).toBeGreaterThan(1);
  });
});

describe('PixelEnv.useStarts', () => {
  it('starts episodes from the sampled state (true state and frame agree), replays a seed, and goes back to the task start', async () => {
    const env = await makePixelEnv('pendulum-pixels', readModelXml, { width: 32, height: 32, frameStack: 2 });
    const twin = await makePixelEnv('pendulum-pixels', readModelXml, { width: 32, height: 32, frameStack: 2 });
    try {
      const taskStart = env.reset(4);
      expect(Math.abs(angle(env.state()))).toBeGreaterThan(Math.PI - 0.11);
      // A fixed start: the pendulum at 0.4 rad, turning at −1 rad/s.
      const fixed: StartSampler = (_rng, qpos, qvel) => {
        qpos[0] = 0.4;
        qvel[0] = -1;
      };
      env.useStarts(fixed);
      const obs = env.reset(4);
      const s = env.state();
      // The stack holds real frames: the start, then one step with no torque from it (turning at −1 rad/s
      // and falling away from upright, the angle drops by about 0.05 rad), and the state is where that step ended.
      const start = env.renderStates(Float32Array.of(Math.cos(0.4), Math.sin(0.4), -1));
      expect(obs.subarray(0, start.length)).toEqual(start);
      expect(angle(s)).toBeGreaterThan(0.33);
      expect(angle(s)).toBeLessThan(0.38);
      const frame = env.renderStates(s);
      expect(obs.subarray(frame.length)).toEqual(frame);
      expect(frame).not.toEqual(start);
      expect(obs).not.toEqual(taskStart);
      // Stepping goes on from there: with no torque it falls further from upright, turning the way it moved.
      const r = env.step(Float32Array.of(0));
      expect(angle(r.state)).toBeLessThan(angle(s));
      // The task's exploring starts: same seed, same start; different seeds, different angles.
      env.useStarts(exploringStart('pendulum'));
      twin.useStarts(exploringStart('pendulum'));
      const a = env.reset(11);
      expect(twin.reset(11)).toEqual(a);
      expect(twin.state()).toEqual(env.state());
      const seen = new Set<number>();
      for (let seed = 0; seed < 20; seed++) {
        env.reset(seed);
        seen.add(Math.round(angle(env.state()) * 10));
        // Started at rest; one 0.05 s step of gravity (at most g/l ≈ 19.6 rad/s²) gives it under 1 rad/s.
        expect(Math.abs(env.state()[2])).toBeLessThan(1);
      }
      expect(seen.size).toBeGreaterThan(10);
      env.useStarts(null);
      expect(env.reset(4)).toEqual(taskStart);
    } finally {
      env.dispose();
      twin.dispose();
    }
  });
});
