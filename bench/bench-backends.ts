/**
 * Which tfjs backends `npm run bench` measures, each in turn: the ones named (--backend a,b or
 * MBRL_LAB_BACKEND), else every backend that loads here except plain cpu (it runs the reference shapes
 * ~15× slower than wasm, minutes per group; name it to measure it). A software WebGPU adapter
 * (SwiftShader, lavapipe) is measured only when webgpu is named.
 */
import { SELF_BENCHMARK_SHAPES, timePlanningForward } from '../src-main/engine/backend/self-benchmark';
import { BACKEND_PREFERENCE, chooseBackend, type BackendChoice, type BackendReport } from '../src-main/engine/tf-backend';
import type { BenchResult } from './bench-result';

/** Parses "wasm,webgpu" (an unknown name throws). */
export function parseBackendList(list: string): BackendChoice[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(BACKEND_PREFERENCE as readonly string[]).includes(n)) throw new Error(`--backend: unknown backend '${n}' (expected ${BACKEND_PREFERENCE.join(', ')})`);
  return BACKEND_PREFERENCE.filter((b) => names.includes(b));
}

/** The backends to measure: `named`, or every one that loads (see above). Logs why others are left out. */
export async function benchBackends(named: readonly BackendChoice[] | undefined, log: (line: string) => void): Promise<BackendChoice[]> {
  if (named?.length) return [...named];
  const out: BackendChoice[] = [];
  for (const choice of BACKEND_PREFERENCE) {
    if (choice === 'cpu') {
      log('backend cpu: not measured by default (about 15× slower than wasm here; --backend cpu measures it)');
      continue;
    }
    try {
      await chooseBackend(choice, { allowSoftware: false });
      out.push(choice);
    } catch (error) {
      log(`backend ${choice}: not measured (${(error as Error).message.replace(/^no TensorFlow.js backend could be loaded \(/, '').replace(/\)$/, '')})`);
    }
  }
  return out.length ? out : ['cpu'];
}

/** How results name a backend: its provider, or e.g. "webgpu-swiftshader" for a software adapter. */
export function benchBackendLabel(report: BackendReport): string {
  if (!report.software) return report.provider;
  const name = /swiftshader|lavapipe|llvmpipe|warp/i.exec(report.device)?.[0].toLowerCase() ?? 'software';
  return `${report.provider}-${name}`;
}

/**
 * The engine's self-benchmark unit as a row: ms per forward pass of the MPC reference network over a
 * CEM population ([500, 4 + 1] → [500, 4], MLP 3×200 swish), on the active backend. Cheap enough for
 * every backend, including a software GPU where whole planning calls would take minutes.
 */
export async function benchPlanningForward(label: string): Promise<BenchResult> {
  const s = SELF_BENCHMARK_SHAPES;
  const ms = await timePlanningForward({ budgetMs: 1500, maxUnits: 30 });
  return { name: `planning forward pass (${s.population} candidates, MLP ${s.hidden.length}x${s.hidden[0]}; ${label})`, value: ms, unit: 'ms' };
}
