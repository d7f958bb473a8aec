import type { TaskSceneDescription } from '../../src-renderer/src/scene/task-scene';

type Geom = TaskSceneDescription['geoms'][number];

export const IDENTITY = [1, 0, 0, 0] as const;

/** The world's floor: a 10 m × 10 m plane. */
export const FLOOR: Geom = { body: 0, kind: 'plane', size: [5, 5, 0.5], pos: [0, 0, 0], quat: IDENTITY, rgba: [0.2, 0.2, 0.2, 1] };
/** The cart (body 1): a box at its origin. */
export const CART: Geom = { body: 1, kind: 'box', size: [0.2, 0.1, 0.05], pos: [0, 0, 0], quat: IDENTITY, rgba: [0.8, 0.3, 0.1, 1] };
/** The pole (body 2): a capsule 0.5 m up its z, so its tip is 1 m up. */
export const POLE: Geom = { body: 2, kind: 'capsule', size: [0.04, 0.5, 0], pos: [0, 0, 0.5], quat: IDENTITY, rgba: [0.9, 0.8, 0.2, 1] };

/** A toy cart-pole task (bodies world, cart, pole) with these geoms. */
export function toyScene(geoms: Geom[]): TaskSceneDescription {
  return {
    task: 'toy',
    bodies: [{ name: 'world' }, { name: 'cart' }, { name: 'pole' }],
    geoms,
    camera: { eye: [0, -3, 1], target: [0, 0, 0.5] },
  };
}
