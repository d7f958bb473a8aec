// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import LineChart from '../../src-renderer/src/components/LineChart.vue';
import ScatterChart from '../../src-renderer/src/components/ScatterChart.vue';
import { bandPath, extent } from '../../src-renderer/src/components/chart';
import { GHOST_COLOR, memberColor } from '../../src-renderer/src/components/palette';
import { bandSeries, calibrationVerdict, coverageSeries, heldOutCount, nllSeries, scatterSeries, trajectoryLength } from '../../src-renderer/src/components/uncertainty';
import type { ModelDiagnostics } from '../../src-renderer/src/stores/experiments';

/** Diagnostics of a 2-D task: n held-out transitions, `members` members, T steps of bands. */
function diagnostics(n: number, members: number, T = 4): ModelDiagnostics {
  const D = 2;
  const truth = Float32Array.from({ length: n * D }, (_, k) => k);
  // Member m predicts truth + m (so each member is a shifted copy of the diagonal).
  const predicted = Float32Array.from({ length: members * n * D }, (_, k) => (k % (n * D)) + Math.floor(k / (n * D)));
  return {
    fit: 2, obsDim: D, members, samples: n,
    heldOutTruth: truth, heldOutPredicted: predicted,
    trajectoryTruth: Float32Array.from({ length: T * D }, (_, k) => k),
    trajectoryMean: Float32Array.from({ length: T * D }, (_, k) => k + 0.5),
    trajectoryStd: new Float32Array(T * D).fill(0.25),
  };
}

describe('uncertainty plot data', () => {
  it('splits held-out predictions into one scatter series per member for one dimension', () => {
    const d = diagnostics(5, 3);
    expect(heldOutCount(d)).toBe(5);
    const s = scatterSeries(d, 1);
    expect(s.map((x) => x.id)).toEqual(['member-0', 'member-1', 'member-2']);
    expect(Array.from(s[0].x)).toEqual([1, 3, 5, 7, 9]);
    expect(Array.from(s[2].y)).toEqual([3, 5, 7, 9, 11]);
    expect(s.map((x) => x.color)).toEqual([0, 1, 2].map((m) => memberColor(m, 3)));
    expect(scatterSeries(d, 2)).toEqual([]);
    // A single model is one series in the ghost's colour.
    expect(scatterSeries(diagnostics(5, 1), 0).map((x) => [x.label, x.color])).toEqual([['model', GHOST_COLOR]]);
    // Arrays shorter than claimed are read only as far as they go.
    expect(heldOutCount({ ...d, heldOutPredicted: new Float32Array(3 * 2 * 2) })).toBe(2);
  });

  it('builds the truth, the mean and ±1σ/±2σ bands along the episode', () => {
    const d = diagnostics(1, 1, 4);
    expect(trajectoryLength(d)).toBe(4);
    const [band2, mean, truth] = bandSeries(d, 0);
    expect(truth.points).toEqual([[1, 0], [2, 2], [3, 4], [4, 6]]);
    expect(mean.points).toEqual([[1, 0.5], [2, 2.5], [3, 4.5], [4, 6.5]]);
    expect(mean.band![0]).toEqual([0.25, 0.75]);
    expect(band2.band![0]).toEqual([0, 1]);
    expect(band2.line).toBe(false);
  });

  it('plots coverage and NLL per fit, leaving out fits without a spread', () => {
    const points = [
      { fit: 0, nll: null, within1: null, within2: null, samples: 10 },
      { fit: 1, nll: 1.4, within1: 0.5, within2: 0.8, samples: 10 },
      { fit: 2, nll: 0.9, within1: 0.7, within2: 0.95, samples: 12 },
    ];
    const [w1, w2] = coverageSeries(points);
    expect(w1.points).toEqual([[2, 0.5], [3, 0.7]]);
    expect(w2.points).toEqual([[2, 0.8], [3, 0.95]]);
    expect(nllSeries(points)[0].points).toEqual([[2, 1.4], [3, 0.9]]);
    expect(calibrationVerdict(0.5)).toBe('overconfident');
    expect(calibrationVerdict(0.7)).toBe('calibrated');
    expect(calibrationVerdict(0.9)).toBe('underconfident');
    expect(calibrationVerdict(null)).toBeNull();
  });

  it('tints members apart and keeps the single-model colour', () => {
    expect(memberColor(0, 1)).toBe(GHOST_COLOR);
    const five = [0, 1, 2, 3, 4].map((m) => memberColor(m, 5));
    expect(new Set(five).size).toBe(5);
    for (const c of five) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('ScatterChart', () => {
  it('renders n · members points with the y = x diagonal', () => {
    const d = diagnostics(40, 3);
    const wrapper = mount(ScatterChart, { props: { title: 'Predicted vs true', series: scatterSeries(d, 0) } });
    expect(wrapper.attributes('data-points')).toBe(String(40 * 3));
    const paths = wrapper.findAll('path.points');
    expect(paths.map((p) => p.attributes('data-count'))).toEqual(['40', '40', '40']);
    // One zero-length, round-capped segment per point.
    expect(paths[0].attributes('d')!.match(/M/g)).toHaveLength(40);
    expect(paths[1].attributes('stroke')).toBe(memberColor(1, 3));
    expect(wrapper.find('[data-testid="scatter-diagonal"]').exists()).toBe(true);
    expect(wrapper.findAll('.legend li')).toHaveLength(3);
    // Both axes share one range: the diagonal runs from the bottom-left to the top-right corner.
    const diag = wrapper.get('[data-testid="scatter-diagonal"]');
    const rect = wrapper.get('rect.plot-bg');
    expect(Number(diag.attributes('x2')) - Number(diag.attributes('x1'))).toBeCloseTo(Number(rect.attributes('width')), 6);
    expect(Number(diag.attributes('y1')) - Number(diag.attributes('y2'))).toBeCloseTo(Number(rect.attributes('height')), 6);
  });

  it('skips non-finite points and says when there is nothing to plot', () => {
    const wrapper = mount(ScatterChart, {
      props: { title: 's', emptyText: 'after the first fit', series: [{ id: 'a', label: 'a', color: '#fff', x: [1, NaN, 3], y: [1, 2, Infinity] }] },
    });
    expect(wrapper.attributes('data-points')).toBe('1');
    const empty = mount(ScatterChart, { props: { title: 's', emptyText: 'after the first fit', series: [] } });
    expect(empty.attributes('data-points')).toBe('0');
    expect(empty.text()).toContain('after the first fit');
  });
});

describe('LineChart bands and reference lines', () => {
  it('shades a band, counts it in the y range, and draws dashed reference lines', () => {
    const d = diagnostics(1, 1, 4);
    const series = bandSeries(d, 0);
    // y from the truth's 0 to the 2σ band's top, 6.5 + 2 · 0.25.
    expect(extent(series)).toEqual([1, 4, 0, 7]);
    const wrapper = mount(LineChart, { props: { title: 'θ', series, refLines: [{ y: 3, label: 'three' }], yInclude: [0, 10] } });
    const bands = wrapper.findAll('path.band');
    expect(bands).toHaveLength(2);
    expect(bands[0].attributes('fill-opacity')).toBe('0.1');
    // Closed: along the upper edge (4 points), back along the lower (4), then Z.
    expect(bands[1].attributes('d')!.match(/[ML]/g)).toHaveLength(8);
    expect(bands[1].attributes('d')!.endsWith('Z')).toBe(true);
    // Every series' points count, the 2σ one too (it draws its band only).
    expect(wrapper.attributes('data-points')).toBe(String(3 * 4));
    expect(wrapper.find('.refs line').exists()).toBe(true);
    expect(wrapper.find('.refs text').text()).toBe('three');
    // yInclude widens the axis to 10.
    expect(wrapper.findAll('.ticks text').map((t) => t.text())).toContain('10');
  });

  it('gives no band path for fewer than two usable points', () => {
    const id = (v: number) => v;
    expect(bandPath([[0, 1]], [[0, 2]], id, id)).toBe('');
    expect(bandPath([[0, 1], [1, 1]], [[0, 2], [NaN, 2]], id, id)).toBe('');
    expect(bandPath([[0, 1], [1, 1]], [[0, 2], [0, 2]], id, id)).toBe('M0.0,2.0L1.0,2.0L1.0,0.0L0.0,0.0Z');
  });
});
