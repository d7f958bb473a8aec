/**
 * Flat transition arrays, one row per step, episodes back to back: D4RL's HDF5 files
 * (observations, actions, rewards, terminals, timeouts, next_observations, infos/*) and NumPy
 * replay buffers (.npz with obs, next_obs, action, reward, terminated, truncated — mbrl-lib's
 * ReplayBuffer.save). Episodes end after each step whose terminal or timeout flag is set.
 */
import { type DatasetFormat, type DatasetLayout, type EpisodeInfo, type FieldInfo, type FieldRoles, episodeAt, fieldOf, infoOf } from './dataset-reader';
import type { ArrayInfo } from './dtype';
import { type ArrayGroup, DatasetError, type LazyArray, joinPath, listArrays } from './sources';

/** Names each role goes by, most common first. */
const ALIASES: Record<keyof FieldRoles, string[]> = {
  observation: ['observations', 'obs'],
  nextObservation: ['next_observations', 'next_obs'],
  action: ['actions', 'action'],
  reward: ['rewards', 'reward'],
  terminated: ['terminals', 'terminated', 'dones', 'done'],
  truncated: ['timeouts', 'truncated'],
};

/** Rows read at a time when scanning flags for episode ends. */
const FLAG_CHUNK = 1 << 16;

function findRole(group: ArrayGroup, role: keyof FieldRoles): string | undefined {
  return ALIASES[role].find((name) => group.array(name) !== undefined);
}

/** True where `root` holds a flat transition layout (an observations and an actions array). */
export function isFlatLayout(root: ArrayGroup): boolean {
  return findRole(root, 'observation') !== undefined && findRole(root, 'action') !== undefined;
}

/** Episode ends (exclusive row indices) from terminal/timeout flags, read in chunks. */
async function episodeEnds(flags: LazyArray[], rows: number): Promise<number[]> {
  const ends: number[] = [];
  for (let start = 0; start < rows; start += FLAG_CHUNK) {
    const end = Math.min(rows, start + FLAG_CHUNK);
    const chunks = await Promise.all(flags.map((f) => f.readRows(start, end)));
    for (let i = 0; i < end - start; i++) if (chunks.some((c) => c[i] !== 0 && c[i] !== 0n)) ends.push(start + i + 1);
  }
  return ends;
}

/**
 * Reads a flat layout. `file` names the file in errors; `format` is 'd4rl' for HDF5, 'npz' for
 * NumPy archives. Throws DatasetError on a missing observations/actions array or a row mismatch.
 */
export async function readFlatLayout(root: ArrayGroup, file: string, format: DatasetFormat, close: () => Promise<void>): Promise<DatasetLayout> {
  const warnings: string[] = [];
  const roles: FieldRoles = {};
  for (const role of Object.keys(ALIASES) as Array<keyof FieldRoles>) {
    const name = findRole(root, role);
    if (name === undefined) continue;
    if (role === 'observation' || role === 'nextObservation') roles[role] = [name];
    else roles[role] = name;
  }
  const obsName = roles.observation?.[0];
  if (!obsName) throw new DatasetError(file, undefined, `missing required array '${ALIASES.observation.join("' or '")}'`);
  if (!roles.action) throw new DatasetError(file, undefined, `missing required array '${ALIASES.action.join("' or '")}'`);
  const obs = root.array(obsName) as LazyArray;
  const rows = obs.shape[0] ?? 0;

  // Per-step arrays: every array at the root and under infos/ (D4RL's metadata/ group is per dataset).
  const stepArrays = [...root.arrayNames().map((name) => ({ path: name, array: root.array(name) as LazyArray }))];
  const infos = root.group('infos');
  if (infos) stepArrays.push(...listArrays(infos, 'infos'));
  const arrays = new Map<string, LazyArray>();
  const fields: Record<string, FieldInfo> = {};
  for (const { path, array } of stepArrays) {
    if (array.shape.length === 0) continue;
    if (array.shape[0] !== rows) throw new DatasetError(file, path, `shape mismatch: ${array.shape[0]} rows, ${obsName} has ${rows}`);
    arrays.set(path, array);
    fields[path] = fieldOf(array);
  }
  const nextName = roles.nextObservation?.[0];
  if (nextName && fields[nextName].shape.join() !== fields[obsName].shape.join()) {
    throw new DatasetError(file, nextName, `shape mismatch: [${fields[nextName].shape}] per step, ${obsName} has [${fields[obsName].shape}]`);
  }
  // Everything else (metadata/*, scalars) is listed but is not a per-step field.
  for (const { path, array } of listArrays(root)) if (!arrays.has(path)) arrays.set(path, array);

  const flags = [roles.terminated, roles.truncated].filter((n): n is string => n !== undefined).map((n) => arrays.get(n) as LazyArray);
  if (!roles.truncated) warnings.push(roles.terminated ? `no ${ALIASES.truncated.join('/')} array: episodes split at ${roles.terminated} only` : `no ${ALIASES.terminated.join('/')} or ${ALIASES.truncated.join('/')} arrays: one episode of ${rows} steps`);
  if (!roles.reward) warnings.push(`no ${ALIASES.reward.join('/')} array`);
  const ends = flags.length ? await episodeEnds(flags, rows) : [];
  if (rows > 0 && ends[ends.length - 1] !== rows) {
    if (flags.length) warnings.push(`the last ${rows - (ends[ends.length - 1] ?? 0)} steps end without a terminal or timeout flag: kept as a partial episode`);
    ends.push(rows);
  }
  const starts: number[] = [];
  const episodes: EpisodeInfo[] = ends.map((end, i) => {
    const start = i === 0 ? 0 : ends[i - 1];
    starts.push(start);
    return { index: i, name: `episode_${i}`, length: end - start };
  });
  const arrayInfo: Record<string, ArrayInfo> = {};
  for (const [path, array] of arrays) arrayInfo[path] = infoOf(array);
  const layoutNames = [obsName, nextName, roles.action, roles.reward, roles.terminated, roles.truncated].filter(Boolean).join(', ');
  return {
    summary: { format, path: file, layout: `${format === 'npz' ? 'replay buffer' : 'D4RL'} (${layoutNames})`, episodes, arrays: arrayInfo, fields, roles, attributes: root.attrs(), warnings },
    arrays,
    locate: (episode, field) => (fields[field] && arrays.has(field) ? { array: arrays.get(field) as LazyArray, offset: starts[episode], rows: episodes[episode].length } : undefined),
    describeRow: (path, row) => {
      const at = fields[path] ? episodeAt(episodes, starts, row) : undefined;
      return at && `${at.episode.name} step ${at.step}`;
    },
    close,
  };
}

/** For an archive with no transition layout: arrays listed, no episodes. */
export function arraysOnlyLayout(root: ArrayGroup, file: string, format: DatasetFormat, close: () => Promise<void>, warning: string): DatasetLayout {
  const arrays = new Map(listArrays(root).map(({ path, array }) => [path, array] as const));
  const arrayInfo: Record<string, ArrayInfo> = {};
  for (const [path, array] of arrays) arrayInfo[joinPath(path)] = infoOf(array);
  return {
    summary: { format, path: file, episodes: [], arrays: arrayInfo, fields: {}, roles: {}, attributes: root.attrs(), warnings: [warning] },
    arrays,
    locate: () => undefined,
    close,
  };
}
