import fs from 'node:fs';

/** Deeper than this, a JSON document is quarantined unread: no feed standard nests anywhere near it. */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a JSON text, counted on bytes outside strings, stopping as soon as it passes
 * `limit` (so a 200,000-level bomb costs one short scan, never the parser's stack). Works on UTF-8
 * and every ASCII-compatible encoding; returns 0 for text that does not start like JSON.
 */
export function jsonDepthOver(bytes: Uint8Array, limit = MAX_JSON_DEPTH): number | null {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] !== 0x7b && bytes[i] !== 0x5b) return null;
  let depth = 0;
  let inString = false;
  for (; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) {
      if (++depth > limit) return depth;
    } else if (b === 0x7d || b === 0x5d) depth--;
  }
  return null;
}

/**
 * Reads a large CSV file in pieces of about `chunkBytes`, each cut at a record boundary (a line
 * end outside quotes: RFC 4180 quotes escape as "", so an even count of quote bytes so far means
 * outside) and each after the first starting with the header line again. Memory stays near
 * two pieces whatever the file's size. Bytes, not text: the adapter still decides the encoding.
 */
export async function* csvPieces(file: string, chunkBytes = 1024 * 1024): AsyncGenerator<Buffer> {
  let header: Buffer | null = null;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let quotes = 0;
  let carry = Buffer.alloc(0);
  let yielded = false;
  const flush = (): Buffer => {
    const body = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    return body;
  };
  for await (const read of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const data = carry.length ? Buffer.concat([carry, read as Buffer]) : (read as Buffer);
    let start = 0;
    // The carried bytes were scanned (their quotes counted) with the previous read.
    for (let i = carry.length; i < data.length; i++) {
      const b = data[i];
      if (b === 0x22) quotes++;
      else if (b === 0x0a && quotes % 2 === 0) {
        const record = data.subarray(start, i + 1);
        start = i + 1;
        if (!header) {
          header = Buffer.from(record);
          continue;
        }
        pending.push(Buffer.from(record));
        pendingBytes += record.length;
        if (pendingBytes >= chunkBytes) {
          yielded = true;
          yield Buffer.concat([header, flush()]);
        }
      }
    }
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length) {
    if (!header) header = carry;
    else pending.push(carry);
  }
  if (header && (pending.length > 0 || !yielded)) yield Buffer.concat([header, flush()]);
}
