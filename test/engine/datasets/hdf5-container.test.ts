import type { Metadata } from 'h5wasm';
import { describe, expect, it } from 'vitest';
import { dtypeOfMetadata, hdf5Problem } from '../../../src-main/engine/datasets/hdf5-container';

const meta = (m: Partial<Metadata>): Metadata => ({ chunks: null, littleEndian: true, maxshape: null, shape: [3], signed: false, size: 1, total_size: 3, type: 0, vlen: false, ...m });

describe('HDF5 types and errors', () => {
  it('names HDF5 types as NumPy does; an h5py bool (enum FALSE/TRUE) is bool', () => {
    expect(dtypeOfMetadata(meta({ type: 1, size: 4 }))).toBe('float32');
    expect(dtypeOfMetadata(meta({ type: 0, size: 8, signed: true }))).toBe('int64');
    expect(dtypeOfMetadata(meta({ type: 0, size: 1 }))).toBe('uint8');
    expect(dtypeOfMetadata(meta({ type: 3, size: 6 }))).toBe('string');
    expect(dtypeOfMetadata(meta({ type: 8, size: 1, signed: true, enum_type: { members: { FALSE: 0, TRUE: 1 }, nmembers: 2, type: 0 } }))).toBe('bool');
    expect(dtypeOfMetadata(meta({ type: 8, size: 2, signed: true, enum_type: { members: { A: 0, B: 1, C: 2 }, nmembers: 3, type: 0 } }))).toBe('int16');
    expect(dtypeOfMetadata(meta({ type: 6, size: 12 }))).toBe('other');
  });

  it("turns HDF5's error stack into one line", () => {
    const stack = (inner: string) => `HDF5-DIAG: Error detected in HDF5 (2.0.0):\n  #000: H5F.c line 821 in H5Fopen(): unable to open file\n    major: File accessibility\n  #006: H5Fsuper.c line 577 in H5F__super_read(): ${inner}\n    minor: x\n`;
    expect(hdf5Problem(new Error(stack('truncated file: eof = 100, sblock->base_addr = 0, stored_eof = 8476')))).toBe('truncated: 100 bytes, the HDF5 superblock says 8476');
    expect(hdf5Problem(new Error(stack('file signature not found')))).toBe('not an HDF5 file (no HDF5 signature)');
    expect(hdf5Problem(new Error(stack('incorrect metadata checksum after all read attempts')))).toBe('corrupt HDF5 data (incorrect metadata checksum after all read attempts)');
    expect(hdf5Problem('plain')).toBe('plain');
  });
});
