/**
 * Minari: <dataset>/data/metadata.json and <dataset>/data/main_data.hdf5 with one episode_<id>
 * group per episode: observations (T+1 rows: the reset observation and one after each step),
 * actions, rewards, terminations, truncations (T rows), infos (T+1 or T rows). Dict spaces are
 * subgroups (observations/<key>). See Minari's docs ("Dataset Standards").
 */
import { type DatasetLayout, type EpisodeInfo, type FieldInfo, type FieldRoles, fieldOf, infoOf } from './dataset-reader';
import type { ArrayInfo } from './dtype';
import { type ArrayGroup, DatasetError, type LazyArray, listArrays, majority, naturalSort } from './sources';

const PER_STEP = ['rewards', 'terminations', 'truncations'];

export function isMinari(root: ArrayGroup): boolean {
  return root.groupNames().some((n) => /^episode_\d+$/.test(n));
}

/** Leaves of an array-or-group entry: [{path: 'observations'}] or [{path: 'observations/pixels'}, ...]. */
function leaves(group: ArrayGroup, name: string): Array<{ path: string; array: LazyArray }> {
  const array = group.array(name);
  if (array) return [{ path: name, array }];
  const sub = group.group(name);
  return sub ? listArrays(sub, name) : [];
}

interface EpisodeArrays {
  T: number;
  fields: Map<string, { array: LazyArray; rows: FieldInfo['rows'] }>;
}

function readEpisodeGroup(file: string, name: string, episode: ArrayGroup): EpisodeArrays {
  const at = (path: string) => `${name}/${path}`;
  const observations = leaves(episode, 'observations');
  if (!observations.length) throw new DatasetError(file, name, "missing required array 'observations'");
  const actions = leaves(episode, 'actions');
  if (!actions.length) throw new DatasetError(file, name, "missing required array 'actions'");
  const perStep = PER_STEP.flatMap((key) => leaves(episode, key));
  // T is what most arrays agree on (observations hold T+1 rows), so the odd one out is named.
  const T = majority([...observations.map((o) => o.array.shape[0] - 1), ...actions.map((a) => a.array.shape[0]), ...perStep.map((a) => a.array.shape[0])]);
  const fields: EpisodeArrays['fields'] = new Map();
  for (const { path, array } of observations) {
    if (array.shape[0] !== T + 1) throw new DatasetError(file, at(path), `shape mismatch: ${array.shape[0]} rows, expected ${T + 1} (actions has ${T}; observations include the reset)`);
    fields.set(path, { array, rows: 'steps+1' });
  }
  for (const { path, array } of [...actions, ...perStep]) {
    if (array.shape[0] !== T) throw new DatasetError(file, at(path), `shape mismatch: ${array.shape[0]} rows, ${at(observations[0].path)} has ${T + 1} (T+1), so expected ${T}`);
    fields.set(path, { array, rows: 'steps' });
  }
  for (const { path, array } of leaves(episode, 'infos')) {
    if (array.shape[0] !== T && array.shape[0] !== T + 1) throw new DatasetError(file, at(path), `shape mismatch: ${array.shape[0]} rows, expected ${T} or ${T + 1}`);
    fields.set(path, { array, rows: array.shape[0] === T ? 'steps' : 'steps+1' });
  }
  return { T, fields };
}

/**
 * Reads main_data.hdf5 (`root`) with its metadata.json (parsed, or undefined where absent).
 * Throws DatasetError on missing observations/actions or row mismatches.
 */
export async function readMinari(root: ArrayGroup, metadata: Record<string, unknown> | undefined, file: string, close: () => Promise<void>): Promise<DatasetLayout> {
  const warnings: string[] = [];
  if (!metadata) warnings.push('no metadata.json beside main_data.hdf5');
  const names = naturalSort(root.groupNames().filter((n) => /^episode_\d+$/.test(n)));
  const episodes: EpisodeInfo[] = [];
  const perEpisode: EpisodeArrays[] = [];
  const fields: Record<string, FieldInfo> = {};
  const arrays = new Map<string, LazyArray>();
  for (const name of names) {
    const ep = readEpisodeGroup(file, name, root.group(name) as ArrayGroup);
    for (const [path, { array, rows }] of ep.fields) {
      const info = fieldOf(array, rows);
      const known = fields[path];
      if (known && (known.shape.join() !== info.shape.join() || known.dtype !== info.dtype)) {
        throw new DatasetError(file, `${name}/${path}`, `shape mismatch: [${info.shape}] ${info.dtype} per step, earlier episodes have [${known.shape}] ${known.dtype}`);
      }
      fields[path] ??= info;
      arrays.set(`${name}/${path}`, array);
    }
    const attrs = root.group(name)?.attrs() ?? {};
    if (typeof attrs.total_steps === 'number' && attrs.total_steps !== ep.T) warnings.push(`${name}: attribute total_steps = ${attrs.total_steps}, actions has ${ep.T} rows`);
    perEpisode.push(ep);
    episodes.push({ index: episodes.length, name, length: ep.T });
  }
  const steps = episodes.reduce((n, e) => n + e.length, 0);
  if (metadata && typeof metadata.total_episodes === 'number' && metadata.total_episodes !== episodes.length) warnings.push(`metadata.json says ${metadata.total_episodes} episodes, main_data.hdf5 has ${episodes.length}`);
  if (metadata && typeof metadata.total_steps === 'number' && metadata.total_steps !== steps) warnings.push(`metadata.json says ${metadata.total_steps} steps, main_data.hdf5 has ${steps}`);
  const arrayInfo: Record<string, ArrayInfo> = {};
  for (const [path, array] of arrays) arrayInfo[path] = infoOf(array);
  const obsFields = Object.keys(fields).filter((f) => f === 'observations' || f.startsWith('observations/')).sort();
  const roles: FieldRoles = { observation: obsFields };
  if (fields.actions) roles.action = 'actions';
  else warnings.push('actions is a dict space: pick the action fields by name');
  if (fields.rewards) roles.reward = 'rewards';
  if (fields.terminations) roles.terminated = 'terminations';
  if (fields.truncations) roles.truncated = 'truncations';
  return {
    summary: { format: 'minari', path: file, episodes, arrays: arrayInfo, fields, roles, attributes: metadata ?? {}, warnings },
    arrays,
    locate: (episode, field) => {
      const entry = perEpisode[episode]?.fields.get(field);
      return entry ? { array: entry.array, offset: 0, rows: entry.rows === 'steps' ? episodes[episode].length : episodes[episode].length + 1 } : undefined;
    },
    close,
  };
}
