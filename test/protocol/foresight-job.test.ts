/**
 * The foresight specs' train section: the `pools` field (the video model's bottleneck resolution) and the
 * kernels' `kernelKind`, the loss's `motionWeight` and the training threads `workers`, with errors that
 * name the field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForesightEvalSpec, ForesightJobSpec, parseWith } from '../../src-main/protocol';

const preset = JSON.parse(readFileSync(join(__dirname, '..', '..', 'resources', 'presets', 'foresight', 'cpu-32.json'), 'utf8'));
const withModel = (model: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, model } });

describe('foresight spec train.model.pools', () => {
  it('is optional and takes 1, 2 or 3 pooling stages', () => {
    const shipped = parseWith(ForesightEvalSpec, preset);
    expect(shipped.ok).toBe(true);
    if (shipped.ok) expect(shipped.value.train.model?.pools).toBe(3);
    expect(parseWith(ForesightEvalSpec, withModel({ widths: [8, 16, 32] })).ok).toBe(true);
    for (const pools of [1, 2, 3]) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ widths: [8, 16, 32], pools }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.model?.pools).toBe(pools);
    }
  });

  it('rejects other values, naming the field', () => {
    for (const pools of [0, 4, 2.5, '2']) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ pools }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.model\.pools: /);
    }
    const job = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, train: { model: { pools: 5 } } });
    expect(job.ok).toBe(false);
    if (!job.ok) expect(job.error).toMatch(/train\.model\.pools: /);
  });
});

describe('foresight spec train.fit.motionWeight', () => {
  const withFit = (fit: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, fit: { ...preset.train.fit, ...fit } } });

  it('is optional and takes a weight ≥ 0', () => {
    for (const motionWeight of [0, 2.5, 10]) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ motionWeight }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.fit?.motionWeight).toBe(motionWeight);
    }
  });

  it('rejects negative, non-numeric and missing-number values, naming the field', () => {
    for (const motionWeight of [-1, '10', null, Number.NaN]) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ motionWeight }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.fit\.motionWeight: /);
    }
  });
});

describe('foresight spec train.fit.workers', () => {
  const withFit = (fit: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, fit: { ...preset.train.fit, ...fit } } });

  it("takes a thread count or 'auto'", () => {
    for (const workers of [1, 2, 'auto']) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ workers }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.fit?.workers).toBe(workers);
    }
  });

  it('rejects anything else, naming the field', () => {
    for (const workers of [0, 2.5, 'all', 65]) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ workers }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.fit\.workers: /);
    }
  });
});

describe('foresight spec train.model.kernelKind', () => {
  it("takes 'softmax' or 'shift' and names the field otherwise", () => {
    for (const kernelKind of ['softmax', 'shift']) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ kernelKind }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.model?.kernelKind).toBe(kernelKind);
    }
    for (const kernelKind of ['flow', 1, null]) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ kernelKind }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.model\.kernelKind: /);
    }
  });
});
