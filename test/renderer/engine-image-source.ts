/**
 * Reads bytes the renderer wrote (the decoded-video .npz) back with the engine's own image-episode
 * source, from a real file. The engine and node are outside the renderer's tsconfig (the renderer
 * never imports them), so they are imported at run time and typed here by what the tests use.
 */
export interface LoadedImageEpisodes {
  episodes: Array<{ frames: Uint8Array; actions: Float32Array; states: Float32Array }>;
  nextImageKey?: string;
  stateNames: string[];
}

const ENGINE_MODULE = '../../src-main/engine/datasets/image-episode-source';
const load = <T>(name: string) => import(/* @vite-ignore */ name) as Promise<T>;

/** Writes `bytes` to a temporary file named `name` and reads its image episodes (image field `imageKey`). */
export async function readBackImageEpisodes(bytes: Uint8Array, name: string, imageKey = 'obs'): Promise<LoadedImageEpisodes> {
  const fs = await load<{ mkdtempSync(prefix: string): string; writeFileSync(path: string, data: Uint8Array): void }>('node:fs');
  const os = await load<{ tmpdir(): string }>('node:os');
  const path = await load<{ join(...parts: string[]): string }>('node:path');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'renderer-npz-')), name);
  fs.writeFileSync(file, bytes);
  const engine = await load<{ loadImageEpisodes(s: { dataset: string; imageKey: string }): Promise<LoadedImageEpisodes> }>(ENGINE_MODULE);
  return engine.loadImageEpisodes({ dataset: file, imageKey });
}
