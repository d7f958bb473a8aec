/**
 * Binary framing for messages over a byte stream (the serve WebSocket bridge), keeping typed arrays
 * binary. Layout: u32 little-endian JSON length, the UTF-8 JSON, padding to 8 bytes, then each typed
 * array's bytes (8-byte aligned) in the order the JSON's placeholders name them.
 *
 * Why not JSON or msgpack: JSON would turn Float32Arrays into number lists (slow, large), and msgpack
 * has no standard typed-array extension the browser side would agree on; this is small and exact.
 */

type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array | Int16Array | Uint32Array;

const CTORS = { Float32Array, Float64Array, Int32Array, Uint8Array, Uint16Array, Int16Array, Uint32Array } as const;
type CtorName = keyof typeof CTORS;

/** Placeholder written into the JSON where a typed array was. */
interface Placeholder {
  $typed: CtorName;
  index: number;
  length: number;
}

const align8 = (n: number) => (n + 7) & ~7;

function isTyped(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && v.constructor.name in CTORS;
}

/** Encodes a message into one ArrayBuffer. */
export function encodeFrame(message: unknown): ArrayBuffer {
  const arrays: TypedArray[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => {
    if (isTyped(value)) {
      arrays.push(value);
      const ph: Placeholder = { $typed: value.constructor.name as CtorName, index: arrays.length - 1, length: value.length };
      return ph;
    }
    return value;
  });
  const text = new TextEncoder().encode(json);
  let size = align8(4 + text.byteLength);
  const offsets = arrays.map((a) => {
    const at = size;
    size = align8(size + a.byteLength);
    return at;
  });
  const out = new ArrayBuffer(size);
  new DataView(out).setUint32(0, text.byteLength, true);
  const bytes = new Uint8Array(out);
  bytes.set(text, 4);
  arrays.forEach((a, i) => bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offsets[i]));
  return out;
}

/**
 * Decodes a frame made by {@link encodeFrame}. Throws an Error with a clear message on a
 * truncated or malformed frame; the result is still untrusted and must be validated.
 */
export function decodeFrame(frame: ArrayBuffer | Uint8Array): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new Error('frame shorter than its 4-byte header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > bytes.byteLength) throw new Error(`frame truncated: header says ${jsonLength} JSON bytes`);
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength));
  let cursor = align8(4 + jsonLength);
  const placeholders: Placeholder[] = [];
  const parsed: unknown = JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$typed' in value) placeholders.push(value as Placeholder);
    return value;
  });
  // Arrays were appended in JSON order; reviving in index order reproduces the offsets.
  const revived = new Map<number, TypedArray>();
  for (const ph of [...placeholders].sort((a, b) => a.index - b.index)) {
    const Ctor = CTORS[ph.$typed];
    if (!Ctor) throw new Error(`unknown typed array kind ${String(ph.$typed)}`);
    const byteLength = ph.length * Ctor.BYTES_PER_ELEMENT;
    if (cursor + byteLength > bytes.byteLength) throw new Error(`frame truncated in typed array ${ph.index}`);
    // Copy so the result owns aligned memory independent of the frame.
    const copy = new Ctor(ph.length);
    new Uint8Array(copy.buffer).set(bytes.subarray(cursor, cursor + byteLength));
    revived.set(ph.index, copy);
    cursor = align8(cursor + byteLength);
  }
  return replacePlaceholders(parsed, revived);
}

function replacePlaceholders(value: unknown, revived: Map<number, TypedArray>): unknown {
  if (Array.isArray(value)) return value.map((v) => replacePlaceholders(v, revived));
  if (value && typeof value === 'object') {
    if ('$typed' in value) return revived.get((value as Placeholder).index);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replacePlaceholders(v, revived);
    return out;
  }
  return value;
}
