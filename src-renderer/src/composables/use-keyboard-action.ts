import { onBeforeUnmount, onMounted, toValue, watch, type MaybeRefOrGetter } from 'vue';

/** Which keys push which action dimension, and in which direction. */
const KEY_BINDINGS: Record<string, { dim: number; sign: -1 | 1 }> = {
  ArrowLeft: { dim: 0, sign: -1 },
  KeyA: { dim: 0, sign: -1 },
  ArrowRight: { dim: 0, sign: 1 },
  KeyD: { dim: 0, sign: 1 },
  ArrowDown: { dim: 1, sign: -1 },
  KeyS: { dim: 1, sign: -1 },
  ArrowUp: { dim: 1, sign: 1 },
  KeyW: { dim: 1, sign: 1 },
};

/** Keys shown in the hint for each dimension: [negative, positive]. */
export const KEY_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['← / A', '→ / D'],
  ['↓ / S', '↑ / W'],
];

/** Number of action dimensions the keyboard can drive. */
export const KEYBOARD_DIMS = KEY_LABELS.length;

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

/**
 * Turns held keys into an action vector of length `actDim` (−1, 0 or +1 per driven dimension) and
 * calls `onAction` whenever it changes, including back to zeros on release or when the window loses
 * focus. Active only while `enabled` is true. Keys typed into form fields are left alone.
 */
export function useKeyboardAction(
  enabled: MaybeRefOrGetter<boolean>,
  actDim: MaybeRefOrGetter<number>,
  onAction: (action: number[]) => void,
): void {
  const held = new Set<string>();

  function current(): number[] {
    const action = new Array<number>(Math.max(0, toValue(actDim))).fill(0);
    for (const code of held) {
      const binding = KEY_BINDINGS[code];
      if (binding && binding.dim < action.length) action[binding.dim] += binding.sign;
    }
    return action;
  }

  function onKey(event: KeyboardEvent): void {
    if (!toValue(enabled) || isTextEntry(event.target)) return;
    const binding = KEY_BINDINGS[event.code];
    if (!binding || binding.dim >= toValue(actDim)) return;
    // Arrow keys would otherwise scroll the page.
    event.preventDefault();
    if (event.type === 'keydown') held.add(event.code);
    else held.delete(event.code);
    onAction(current());
  }

  function releaseAll(): void {
    if (held.size === 0) return;
    held.clear();
    onAction(current());
  }

  onMounted(() => {
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKey);
    window.addEventListener('blur', releaseAll);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey);
    window.removeEventListener('keyup', onKey);
    window.removeEventListener('blur', releaseAll);
  });
  watch(() => toValue(enabled), (on) => {
    if (!on) held.clear();
  });
}
