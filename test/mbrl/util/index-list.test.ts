import { describe, expect, it } from 'vitest';
import { parseIndexList } from '../../../src-main/mbrl/util';

describe('parseIndexList', () => {
  it('indices and ranges, sorted without repeats', () => {
    expect(parseIndexList('0,2,5-7', 8, 'episode', 'the dataset')).toEqual([0, 2, 5, 6, 7]);
    expect(parseIndexList('3, 1-2,2', 4, 'episode', 'the dataset')).toEqual([1, 2, 3]);
  });
  it.each([
    ['a', /'a' is not an episode index or range/],
    ['1,,2', /'' is not an episode index/],
    ['-1', /'-1' is not/],
    ['3-1', /'3-1' is an empty range/],
    ['0,8', /episode 8 is out of range \(the dataset has 8: 0-7\)/],
  ])('%s: one-line error', (text, pattern) => expect(() => parseIndexList(text, 8, 'episode', 'the dataset')).toThrow(pattern));
  it('names what it counts', () => {
    expect(() => parseIndexList('x', 2, 'task', "spec.json's evaluate.tasks")).toThrow("'x' is not a task index or range (e.g. 0,2,5-7)");
    expect(() => parseIndexList('2', 2, 'task', "spec.json's evaluate.tasks")).toThrow("task 2 is out of range (spec.json's evaluate.tasks has 2: 0-1)");
  });
});
