/**
 * The MuJoCo WebAssembly runtime, loaded once per process and shared by every env.
 *
 * mujoco-js is an 11 MB module with the wasm inlined, so it is imported dynamically on first use:
 * listing tasks or validating specs never pays for it.
 */
import type { MainModule, MjModel } from 'mujoco-js';

/** The loaded mujoco-js module (functions mj_*, classes MjModel/MjData, the in-memory FS). */
export type Mujoco = MainModule;

let loading: Promise<Mujoco> | null = null;
/** While non-null, MuJoCo's console output is collected here instead of printed (see loadModelFromXml). */
let captured: string[] | null = null;
let fileCounter = 0;

function sink(message: string): void {
  if (captured) captured.push(message);
  else console.warn(`[mujoco] ${message}`);
}

/**
 * The shared MuJoCo runtime; the first call loads it (about 100 ms), later calls return the same one.
 * A failed load is not cached, so a later call retries.
 */
export function getMujoco(): Promise<Mujoco> {
  if (!loading) {
    loading = import('mujoco-js')
      .then(({ default: loadMujoco }) => loadMujoco({ print: sink, printErr: sink }))
      .then((mj) => {
        mj.FS.mkdir('/models');
        return mj;
      })
      .catch((e: unknown) => {
        loading = null;
        throw e;
      });
  }
  return loading;
}

/**
 * Compile an MJCF document into a model. The XML goes through MuJoCo's in-memory file system under a
 * unique name and is removed afterwards.
 * @param fileName used in error messages (and as the base of the temporary file name).
 * @throws Error naming fileName with MuJoCo's own message when the XML does not compile.
 */
export function loadModelFromXml(mj: Mujoco, xml: string, fileName: string): MjModel {
  const path = `/models/${++fileCounter}-${fileName.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  mj.FS.writeFile(path, xml);
  captured = [];
  let model: MjModel | null = null;
  let thrown: unknown = null;
  try {
    model = mj.MjModel.loadFromXML(path);
  } catch (e) {
    thrown = e; // some builds throw, others print "Loading error" and return null: handle both alike
  }
  const messages = captured.join('\n').trim();
  captured = null;
  mj.FS.unlink(path);
  if (!model) {
    // Compile errors arrive as a C++ exception (name "mjCError") whose text this build does not expose.
    const detail =
      messages ||
      (thrown instanceof Error
        ? thrown.message || `${thrown.name}: the model failed to compile (MuJoCo gave no message)`
        : String(thrown ?? 'no message'));
    throw new Error(`MuJoCo could not load model '${fileName}': ${detail}`);
  }
  return model;
}
