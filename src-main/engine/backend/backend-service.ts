import * as tf from '@tensorflow/tfjs-core';
import type { EngineEventOf } from '../../protocol';
import { backendFingerprint, measurementFor, readBackendFile, writeBackendFile, type BackendMeasurement } from './choice-cache';
import { BACKEND_PREFERENCE, isBackendChoice, type BackendChoice, type BackendReport } from './choices';
import { chooseBackend, describeBackend, type ChooseOptions } from './choose';

/** The backend fields of `engine/info`. */
export type BackendInfo = Pick<EngineEventOf<'engine/info'>, 'backend' | 'backendDetail' | 'provider' | 'device' | 'backendSource' | 'backendSetting' | 'backendOptions'>;

/** A user's backend setting: a provider, or 'auto' (the machine's measured fastest). */
export type BackendSetting = BackendChoice | 'auto';

/**
 * The engine's backend for its lifetime: chosen at start (command-line override, else the user's
 * stored setting, else the machine's cached or new self-benchmark) and switched on request, with the
 * setting remembered in the machine's backend file for the next start.
 */
export class BackendService {
  private constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
    private current: BackendReport,
    private setting: BackendSetting,
    private readonly options: Pick<ChooseOptions, 'loaders' | 'measure' | 'fingerprint' | 'namedOnly'>,
  ) {}

  /**
   * Chooses the backend for a starting engine. `override` (--backend, MBRL_LAB_BACKEND) wins and is
   * not stored; a stored setting that no longer loads falls back to the automatic choice, with a log line.
   */
  static async start(file: string, override: BackendChoice | undefined, log: (line: string) => void, options: Pick<ChooseOptions, 'loaders' | 'measure' | 'fingerprint' | 'namedOnly'> = {}): Promise<BackendService> {
    const stored = await readBackendFile(file, log);
    const setting: BackendSetting = stored.setting ?? 'auto';
    if (override) return new BackendService(file, log, await chooseBackend(override, options), setting, options);
    if (setting !== 'auto') {
      try {
        const report = await chooseBackend(setting, options);
        return new BackendService(file, log, { ...report, source: 'setting' }, setting, options);
      } catch (error) {
        log(`[engine] the backend setting '${setting}' does not load here (${(error as Error).message}); choosing automatically`);
      }
    }
    const report = await chooseBackend(undefined, { ...options, selfBenchmark: true, cacheFile: file, warn: log });
    return new BackendService(file, log, report, setting, options);
  }

  /** The backend in use. */
  get report(): BackendReport {
    return this.current;
  }

  /**
   * Switches to `setting` now and stores it. Callers make sure no job is running (tensors of the old
   * backend would be stranded). On failure the previous backend stays active and nothing is stored.
   */
  async switchTo(setting: BackendSetting, remeasure = false): Promise<BackendReport> {
    const previous = this.current;
    let next: BackendReport;
    try {
      next =
        setting === 'auto'
          ? await chooseBackend(undefined, { ...this.options, selfBenchmark: true, cacheFile: this.file, remeasure, warn: this.log })
          : { ...(await chooseBackend(setting, this.options)), source: 'setting' };
    } catch (error) {
      await tf.setBackend(previous.backend);
      throw error;
    }
    const stored = await readBackendFile(this.file, this.log);
    await writeBackendFile(this.file, { ...stored, setting });
    this.current = next;
    this.setting = setting;
    return next;
  }

  /** The backend fields of `engine/info`, with every provider's measurement or reason when known. */
  async info(): Promise<BackendInfo> {
    const r = this.current;
    const stored = measurementFor(await readBackendFile(this.file, () => {}), (this.options.fingerprint ?? backendFingerprint)());
    return {
      backend: r.backend,
      backendDetail: describeBackend(r),
      provider: r.provider,
      device: r.device,
      backendSource: r.source,
      backendSetting: this.setting,
      backendOptions: optionsOf(r, stored),
    };
  }
}

/** Every provider, in preference order, with this run's or the stored measurement or failure. */
function optionsOf(report: BackendReport, stored: BackendMeasurement | null): NonNullable<BackendInfo['backendOptions']> {
  return BACKEND_PREFERENCE.map((provider) => {
    const known = report.timings.find((t) => t.provider === provider && (t.ms !== undefined || t.note)) ?? stored?.timings.find((t) => t.provider === provider);
    const entry: { provider: string; ms?: number; note?: string } = { provider };
    if (known?.ms !== undefined) entry.ms = known.ms;
    if (known?.note) entry.note = known.note;
    return entry;
  });
}

export { isBackendChoice };
