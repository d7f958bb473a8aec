/**
 * '0,2,5-7' → [0, 2, 5, 6, 7] (sorted, without repeats), each checked against `count` items: the
 * `noun`s of `owner` (e.g. 'episode' of 'the dataset', 'task' of a spec's evaluation). Throws an Error
 * with a one-line message that names them on anything else.
 */
export function parseIndexList(text: string, count: number, noun: string, owner: string): number[] {
  const out = new Set<number>();
  const article = /^[aeiou]/.test(noun) ? 'an' : 'a';
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`'${part.trim()}' is not ${article} ${noun} index or range (e.g. 0,2,5-7)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`'${part.trim()}' is an empty range`);
    if (to >= count) throw new Error(`${noun} ${to} is out of range (${owner} has ${count}: 0-${count - 1})`);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
