/**
 * Element types of stored arrays, named as NumPy names them (what users of robomimic, D4RL, Minari
 * and LeRobot see in Python), and the typed arrays that hold them in JavaScript.
 */

export type DType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'string'
  | 'video'
  | 'other';

/** A numeric array's elements. int64/uint64 stay 64-bit (BigInt64Array); float16 is widened to Float32Array. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** Shape and element type of a stored array. shape: full shape, first axis = rows (steps). */
export interface ArrayInfo {
  shape: number[];
  dtype: DType;
}

/** Bytes per element; 0 for types with no fixed size. */
export function itemSize(dtype: DType): number {
  switch (dtype) {
    case 'bool':
    case 'int8':
    case 'uint8':
      return 1;
    case 'int16':
    case 'uint16':
    case 'float16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 8;
    default:
      return 0;
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
}

export function isNumeric(dtype: DType): boolean {
  return itemSize(dtype) > 0;
}

/** Elements in one row (the product of shape[1:]); 1 for a 1-D array. */
export function rowSize(shape: readonly number[]): number {
  let n = 1;
  for (let i = 1; i < shape.length; i++) n *= shape[i];
  return n;
}

/** A typed array of `length` elements for `dtype` (float16 is held as float32). */
export function allocate(dtype: DType, length: number): NumericArray {
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    case 'float16':
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    default:
      throw new Error(`no typed array for dtype ${dtype}`);
  }
}

/** Copies any numeric array into a Float32Array (64-bit integers through Number). */
export function toFloat32(data: NumericArray): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  else out.set(data);
  return out;
}

/** IEEE half precision → number (for float16 arrays, which JavaScript has no typed array for in Node 20). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** The first non-finite element of a float array, or -1. */
export function firstNonFinite(data: NumericArray): number {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN exactly for NaN and ±Inf; cheaper than Number.isFinite in the hot loop.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Shape as the CLI prints it: [N, 3]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
