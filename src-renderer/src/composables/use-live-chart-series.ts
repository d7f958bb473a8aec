import { computed } from 'vue';
import type { ChartSeries } from '../components/chart';
import { COLORS } from '../components/palette';
import { useExperimentsStore } from '../stores/experiments';
import { fits } from '../stores/experiment-series';

/** Older fits are drawn faintly (at most this many), the latest one in full. */
const FADED_FITS = 8;

/**
 * The series of the live plots of the running experiment: return per episode (random vs MPC),
 * model loss per epoch (each fit; the latest highlighted), planning time per episode, and the
 * model's prediction error against steps ahead.
 */
export function useLiveChartSeries() {
  const exp = useExperimentsStore();
  const returnSeries = computed<ChartSeries[]>(() => {
    const eps = exp.series.episodes;
    const of = (policy: 'random' | 'mpc') => eps.filter((e) => e.policy === policy).map((e) => [e.episode, e.return] as const);
    return [
      { id: 'random', label: 'random policy', color: COLORS.random, points: of('random'), dots: true },
      { id: 'mpc', label: 'MPC', color: COLORS.mpc, points: of('mpc'), dots: true, width: 2 },
    ];
  });

  const lossSeries = computed<ChartSeries[]>(() => {
    const all = fits(exp.series.train);
    const shown = all.slice(-FADED_FITS - 1);
    return shown.flatMap(({ fit, points }, i) => {
      const latest = i === shown.length - 1;
      const opacity = latest ? 1 : 0.18 + (0.3 * i) / Math.max(1, shown.length - 1);
      const name = latest ? `fit ${fit + 1}` : '';
      const val = points.filter((p) => p.val !== null).map((p) => [p.epoch + 1, p.val!] as const);
      return [
        { id: `train-${fit}`, label: `train · ${name}`, color: COLORS.train, points: points.map((p) => [p.epoch + 1, p.train] as const), opacity, legend: latest, width: latest ? 2 : 1.25, dots: false },
        { id: `val-${fit}`, label: `validation · ${name}`, color: COLORS.val, points: val, opacity, legend: latest && val.length > 0, dashed: true, width: latest ? 2 : 1.25, dots: false },
      ];
    });
  });

  /** Which fit the highlighted loss curves belong to, and on how much data. */
  const lossNote = computed(() => {
    const all = fits(exp.series.train);
    const last = all.at(-1)?.points.at(-1);
    return last ? `fit ${all.length} · ${last.transitions} transitions` : '';
  });

  const planSeries = computed<ChartSeries[]>(() => [
    {
      id: 'plan-ms',
      label: 'mean planning time per step',
      color: COLORS.planMs,
      points: exp.series.episodes.filter((e) => e.policy === 'mpc' && e.planMs !== null).map((e) => [e.episode, e.planMs!] as const),
      dots: true,
      legend: false,
    },
  ]);

  const rmseSeries = computed<ChartSeries[]>(() => {
    const curves = exp.series.predictions.slice(-FADED_FITS - 1);
    return curves.map((c, i) => {
      const latest = i === curves.length - 1;
      return {
        id: `rmse-${c.fit}`,
        label: latest ? `after fit ${c.fit + 1}` : 'earlier fits',
        color: COLORS.rmse,
        points: c.rmse.map((v, k) => [k + 1, v] as const),
        opacity: latest ? 1 : 0.2 + (0.3 * i) / Math.max(1, curves.length - 1),
        legend: latest || i === 0,
        width: latest ? 2 : 1.25,
      };
    });
  });

  return { returnSeries, lossSeries, lossNote, planSeries, rmseSeries };
}
