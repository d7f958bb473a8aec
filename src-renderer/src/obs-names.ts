/**
 * Short names of each task's observation dimensions, for plot titles (as documented in each task's
 * header, src-main/mbrl/env/tasks/*.ts). A task not listed here, or a dimension past its list, is
 * called obs[i].
 */
const OBS_NAMES: Readonly<Record<string, readonly string[]>> = {
  pendulum: ['cos θ', 'sin θ', 'θ̇'],
  cartpole: ['x', 'θ', 'ẋ', 'θ̇'],
  reacher: ['q₁', 'q₂', 'q̇₁', 'q̇₂', 'goal x', 'goal y', 'tip − goal x', 'tip − goal y'],
  pusher: ['q₁', 'q₂', 'q₃', 'q̇₁', 'q̇₂', 'q̇₃', 'tip x', 'tip y', 'puck x', 'puck y', 'puck ẋ', 'puck ẏ', 'goal x', 'goal y'],
  'point-mass': ['x', 'y', 'ẋ', 'ẏ', 'goal x', 'goal y'],
  'planar-push': ['pusher x', 'pusher y', 'pusher ẋ', 'pusher ẏ', 'block x', 'block y', 'block ψ', 'block ẋ', 'block ẏ', 'block ψ̇', 'goal x', 'goal y'],
  halfcheetah: [
    'z', 'pitch', 'b-thigh', 'b-shin', 'b-foot', 'f-thigh', 'f-shin', 'f-foot',
    'ẋ', 'ż', 'pitch rate', 'b-thigh rate', 'b-shin rate', 'b-foot rate', 'f-thigh rate', 'f-shin rate', 'f-foot rate',
  ],
};

/** The name of observation dimension `i` of `task`: e.g. 'θ̇', else 'obs[2]'. */
export function obsName(task: string | null | undefined, i: number): string {
  return (task ? OBS_NAMES[task]?.[i] : undefined) ?? `obs[${i}]`;
}
