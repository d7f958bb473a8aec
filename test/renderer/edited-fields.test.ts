/** The preset pickers' edit detection: the fields whose form value differs from what the preset filled. */
import { describe, expect, it } from 'vitest';
import { editedFields } from '../../src-renderer/src/stores/edited-fields';

describe('editedFields', () => {
  it('lists the keys whose value changed, none for an untouched form', () => {
    const filled = { task: 'pendulum-pixels', episodes: 30, epochs: 40, seed: 0 };
    expect(editedFields(filled, { ...filled })).toEqual([]);
    expect(editedFields(filled, { ...filled, episodes: 12, seed: 3 })).toEqual(['episodes', 'seed']);
    // Setting a field back to the preset's value is no edit.
    expect(editedFields(filled, { ...filled, epochs: 40 })).toEqual([]);
  });
});
