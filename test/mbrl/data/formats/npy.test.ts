import { describe, expect, it } from 'vitest';
import { DatasetError, openNpy, parseNpyHeader } from '../../../../src-main/mbrl/data/formats';
import { npyBytes } from '../../../fixtures/datasets/bytes';
import { list, memoryBytes } from './memory-sources';

const f32 = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 0.5);

describe('.npy header', () => {
  it.each([
    ['<f4', [10, 3], 'float32'],
    ['<f8', [7], 'float64'],
    ['|u1', [2, 4, 4, 3], 'uint8'],
    ['|b1', [5], 'bool'],
    ['<i8', [3], 'int64'],
    ['<f2', [4], 'float16'],
    ['<U5', [2], 'string'],
    ['|O', [2], 'other'],
  ] as const)('descr %s, shape %j → %s', (descr, shape, dtype) => {
    const header = parseNpyHeader(npyBytes(new Uint8Array(0), [...shape], { descr }));
    expect(header).toMatchObject({ dtype, descr, shape, fortranOrder: false });
    expect(header.dataOffset % 64).toBe(0); // numpy pads headers to 64 bytes
  });

  it('reads version 2 headers (4-byte length) and scalars', () => {
    const header = parseNpyHeader(npyBytes(new Float64Array(1), [], { version: 2 }));
    expect(header).toMatchObject({ shape: [], dtype: 'float64' });
    expect(header.dataOffset % 64).toBe(0);
  });

  it('rejects what is not .npy, and structured dtypes, with a reason', () => {
    expect(() => parseNpyHeader(new TextEncoder().encode('PK\x03\x04 not numpy at all'))).toThrow(/no \\x93NUMPY magic/);
    const structured = npyBytes(new Uint8Array(0), [2]);
    const text = new TextDecoder('latin1').decode(structured).replace("'descr': '|u1'", "'descr': [('a', '<f4')]");
    expect(() => parseNpyHeader(Uint8Array.from(text, (c) => c.charCodeAt(0)))).toThrow(/structured dtypes/);
  });
});

describe('openNpy', () => {
  it('reads only the header and the rows asked for', async () => {
    const bytes = npyBytes(f32(1000 * 4), [1000, 4]);
    const counter = { bytes: 0 };
    const array = await openNpy(memoryBytes('big.npy', bytes, counter), 'big.npy', 'big');
    const headerBytes = counter.bytes;
    expect(headerBytes).toBeLessThanOrEqual(128 + 12);
    const rows = await array.readRows(500, 502);
    expect(list(rows)).toEqual(Array.from(f32(4000).subarray(2000, 2008)));
    expect(counter.bytes - headerBytes).toBe(2 * 4 * 4);
  });

  it('decodes big-endian and float16 data', async () => {
    const be = npyBytes(Uint8Array.from([0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0]), [2], { descr: '>f4' });
    expect(list(await (await openNpy(memoryBytes('be.npy', be), 'be.npy', 'be')).readRows(0, 2))).toEqual([1, -2]);
    // float16: 1.0 = 0x3c00, -2.0 = 0xc000, +Inf = 0x7c00 (little-endian bytes).
    const half = npyBytes(Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c]), [3], { descr: '<f2' });
    const array = await openNpy(memoryBytes('h.npy', half), 'h.npy', 'h');
    expect(array.dtype).toBe('float16');
    expect(list(await array.readRows(0, 3))).toEqual([1, -2, Infinity]);
  });

  it('names file, array and problem when the data is cut short or unreadable', async () => {
    const bytes = npyBytes(f32(12), [4, 3]);
    const cut = memoryBytes('buf.npz', bytes.subarray(0, bytes.length - 10));
    await expect(openNpy(cut, 'buf.npz', 'obs')).rejects.toThrow(/^buf\.npz: obs: truncated: the header says \[4, 3\] float32 \(48 bytes of data\), 38 bytes are there$/);
    await expect(openNpy(memoryBytes('e.npy', new Uint8Array(0)), 'e.npy', 'e')).rejects.toThrow(/e\.npy: e: empty file/);
    await expect(openNpy(memoryBytes('h.npy', bytes.subarray(0, 4)), 'h.npy', 'h')).rejects.toThrow(DatasetError);
    const fortran = await openNpy(memoryBytes('f.npy', npyBytes(f32(6), [2, 3], { fortran: true })), 'f.npy', 'f');
    expect(fortran.shape).toEqual([2, 3]);
    await expect(fortran.readRows(0, 1)).rejects.toThrow(/Fortran order/);
  });
});
