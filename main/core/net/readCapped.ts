/**
 * Reads an HTTP body into memory, stopping as soon as it passes `limit` bytes: a server that sends
 * more than it may (or lies in Content-Length) costs at most one chunk over the limit, never the
 * whole body. `over`: the limit was passed and the rest was not read (the stream is cancelled);
 * `bytes` then holds what was read, the chunk that passed the limit included.
 */
export async function readCapped(response: Response, limit: number): Promise<{ bytes: Buffer; size: number; over: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      chunks.push(value);
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { bytes: Buffer.concat(chunks), size, over: true };
      }
    }
  }
  return { bytes: Buffer.concat(chunks), size, over: false };
}
