/**
 * A duplex message link between the engine and one client. Implemented over an Electron
 * MessagePortMain, a DOM MessagePort, a Node child-process IPC channel, or in-process.
 */
export interface Connection {
  /** Sends a message; `transfer` lists buffers that may be moved instead of copied. */
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  /** Registers the handler for incoming messages (untrusted: validate before use). */
  onMessage(handler: (data: unknown) => void): void;
  /** Registers a handler for the link closing. */
  onClose(handler: () => void): void;
}

/** The buffers of every typed array among a message's top-level fields, for transfer lists. */
export function transferablesOf(message: object): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const v of Object.values(message)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) out.push(v.buffer);
  }
  return out;
}
