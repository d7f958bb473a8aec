/**
 * robomimic HDF5: data/demo_<i>/{actions, rewards, dones, states, obs/<key>, next_obs/<key>}, with
 * the data group's attributes `total` (steps) and `env_args` (JSON), and mask/<filter_key> holding
 * lists of demo names (train/valid splits). Image observations are uint8 [T, H, W, 3].
 * See robomimic's docs/datasets/overview.md ("Dataset Structure").
 */
import { type DatasetLayout, type EpisodeInfo, type FieldInfo, type FieldRoles, fieldOf, infoOf } from './dataset-reader';
import type { ArrayInfo } from './dtype';
import { type ArrayGroup, DatasetError, type LazyArray, joinPath, listArrays, majority, naturalSort } from './sources';

const REQUIRED = ['actions'];

/** True where the root looks like robomimic (a data group, or a mask group that only robomimic has). */
export function isRobomimic(root: ArrayGroup): boolean {
  return root.group('data') !== undefined || root.group('mask') !== undefined;
}

function parseJsonAttr(value: unknown, warnings: string[], name: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    warnings.push(`data attribute ${name} is not valid JSON`);
    return value;
  }
}

async function readMasks(root: ArrayGroup, demos: Set<string>, warnings: string[]): Promise<Record<string, string[]>> {
  const masks: Record<string, string[]> = {};
  const mask = root.group('mask');
  for (const key of mask?.arrayNames() ?? []) {
    const array = mask?.array(key);
    if (!array?.readStrings) continue;
    masks[key] = (await array.readStrings()).map((s) => s.trim());
    const unknown = masks[key].filter((name) => !demos.has(name));
    if (unknown.length) warnings.push(`mask/${key} names ${unknown.length} demo(s) not in data/ (${unknown.slice(0, 3).join(', ')})`);
  }
  return masks;
}

/**
 * Checks that every per-step array of a demo has the same number of rows, and returns it. The
 * array blamed is the one that differs from the rest ("actions has 49 rows, the others 50").
 */
function checkDemo(file: string, demo: string, arrays: Array<{ path: string; array: LazyArray }>): number {
  if (!arrays.some((a) => a.path === 'actions')) throw new DatasetError(file, joinPath('data', demo), `missing required array '${REQUIRED[0]}'`);
  const T = majority(arrays.map((a) => a.array.shape[0]));
  const odd = arrays.find((a) => a.array.shape[0] !== T);
  if (odd) {
    const others = arrays.filter((a) => a !== odd && a.array.shape[0] === T).map((a) => a.path);
    const ref = others.find((p) => p.startsWith('obs/')) ?? others[0];
    throw new DatasetError(file, `data/${demo}/${odd.path}`, `shape mismatch: ${odd.array.shape[0]} rows, data/${demo}/${ref} has ${T}`);
  }
  return T;
}

/** Reads the layout; throws DatasetError on a missing data group, a missing actions array or a row mismatch. */
export async function readRobomimic(root: ArrayGroup, file: string, close: () => Promise<void>): Promise<DatasetLayout> {
  const data = root.group('data');
  if (!data) throw new DatasetError(file, undefined, "missing required group 'data' (robomimic stores demos in data/demo_<i>)");
  const warnings: string[] = [];
  const names = naturalSort(data.groupNames().filter((n) => /^demo_\d+$/.test(n)));
  const others = data.groupNames().filter((n) => !/^demo_\d+$/.test(n));
  if (others.length) warnings.push(`data/ has groups that are not demos, ignored: ${others.slice(0, 5).join(', ')}`);
  if (!names.length) warnings.push('data/ has no demo_<i> groups');

  const arrays = new Map<string, LazyArray>();
  const fields: Record<string, FieldInfo> = {};
  const episodes: EpisodeInfo[] = [];
  const demoArrays: Array<Map<string, LazyArray>> = [];
  for (const name of names) {
    const demo = data.group(name) as ArrayGroup;
    const list = listArrays(demo);
    const T = checkDemo(file, name, list);
    const attrs = demo.attrs();
    if (typeof attrs.num_samples === 'number' && attrs.num_samples !== T) warnings.push(`data/${name}: attribute num_samples = ${attrs.num_samples}, actions has ${T} rows`);
    const byField = new Map<string, LazyArray>();
    for (const { path, array } of list) {
      const info = fieldOf(array);
      const known = fields[path];
      if (known && (known.shape.join() !== info.shape.join() || known.dtype !== info.dtype)) {
        throw new DatasetError(file, `data/${name}/${path}`, `shape mismatch: [${info.shape}] ${info.dtype} per step, earlier demos have [${known.shape}] ${known.dtype}`);
      }
      fields[path] ??= info;
      byField.set(path, array);
      arrays.set(`data/${name}/${path}`, array);
    }
    demoArrays.push(byField);
    episodes.push({ index: episodes.length, name, length: T });
  }
  for (const path of Object.keys(fields)) {
    const missing = demoArrays.filter((m) => !m.has(path)).length;
    if (missing) warnings.push(`${path} is missing from ${missing} of ${names.length} demos`);
  }
  for (const { path, array } of listArrays(root)) if (!path.startsWith('data/demo_')) arrays.set(path, array);

  const dataAttrs = data.attrs();
  const steps = episodes.reduce((n, e) => n + e.length, 0);
  const total = Number(dataAttrs.total);
  if (dataAttrs.total !== undefined && total !== steps) warnings.push(`data attribute total = ${total}, the demos hold ${steps} steps`);
  const attributes: Record<string, unknown> = {};
  if (dataAttrs.env_args !== undefined) attributes.env_args = parseJsonAttr(dataAttrs.env_args, warnings, 'env_args');
  else warnings.push('data has no env_args attribute');
  if (dataAttrs.total !== undefined) attributes.total = total;
  const masks = await readMasks(root, new Set(names), warnings);
  if (Object.keys(masks).length) attributes.masks = masks;

  const arrayInfo: Record<string, ArrayInfo> = {};
  for (const [path, array] of arrays) arrayInfo[path] = infoOf(array);
  return {
    summary: { format: 'robomimic', path: file, episodes, arrays: arrayInfo, fields, roles: robomimicRoles(fields), attributes, warnings },
    arrays,
    locate: (episode, field) => {
      const array = demoArrays[episode]?.get(field);
      return array ? { array, offset: 0, rows: episodes[episode].length } : undefined;
    },
    close,
  };
}

/**
 * Default roles: the low-dimensional observations (obs/<key> with rank-1 float steps, in name
 * order) as the state, their next_obs twins, actions, rewards, dones. Images stay out of the state.
 */
function robomimicRoles(fields: Record<string, FieldInfo>): FieldRoles {
  const lowDim = Object.keys(fields)
    .filter((f) => f.startsWith('obs/') && fields[f].shape.length <= 1 && fields[f].dtype.startsWith('float'))
    .sort();
  const roles: FieldRoles = {};
  if (lowDim.length) roles.observation = lowDim;
  else if (fields.states) roles.observation = ['states'];
  const next = lowDim.map((f) => `next_${f}`);
  if (lowDim.length && next.every((f) => fields[f])) roles.nextObservation = next;
  if (fields.actions) roles.action = 'actions';
  if (fields.rewards) roles.reward = 'rewards';
  if (fields.dones) roles.terminated = 'dones';
  return roles;
}
