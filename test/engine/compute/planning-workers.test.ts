import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { planningWorkerCount } from '../../../src-main/engine/compute/planning-workers';
import { splitRows } from '../../../src-main/engine/compute/pooled-planning';
import { parseWith, RunSpec } from '../../../src-main/protocol';

describe('compute.planningWorkers', () => {
  it('defaults to one worker per core; 1 plans on the calling thread', () => {
    expect(RunSpec.parse({ task: 'cartpole' }).compute.planningWorkers).toBe('auto');
    expect(planningWorkerCount('auto')).toBe(Math.min(8, availableParallelism()));
    expect(planningWorkerCount(1)).toBe(1);
    expect(RunSpec.parse({ task: 'cartpole', compute: { planningWorkers: 3 } }).compute.planningWorkers).toBe(3);
  });

  it('rejects a count that is not a whole number from 1 to 64, naming the field', () => {
    for (const bad of [0, 2.5, 65, 'many', null]) {
      const parsed = parseWith(RunSpec, { task: 'cartpole', compute: { planningWorkers: bad } });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain('compute.planningWorkers');
    }
    expect(parseWith(RunSpec, { task: 'cartpole', compute: { workers: 2 } }).ok).toBe(false);
  });
});

describe('splitRows', () => {
  it('covers every row once in contiguous, near-equal ranges', () => {
    expect(splitRows(10, 3)).toEqual([{ start: 0, count: 3 }, { start: 3, count: 3 }, { start: 6, count: 4 }]);
    expect(splitRows(2, 4)).toEqual([{ start: 0, count: 1 }, { start: 1, count: 1 }]);
    expect(splitRows(0, 2)).toEqual([]);
  });
});
