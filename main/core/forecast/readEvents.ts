import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parseEventsCsv, type ParsedEvents } from './csv';

/** Reads an incident CSV, gzip-compressed when the name ends in .gz. The one reader of both CLI commands. */
export async function readEventsFile(path: string): Promise<ParsedEvents> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`cannot read the incident file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (path.endsWith('.gz')) {
    try { bytes = gunzipSync(bytes); } catch (err) {
      throw new Error(`${path} ends in .gz but is not gzip data (${(err as Error).message}); rename it or recompress it`, { cause: err });
    }
  }
  return parseEventsCsv(bytes.toString('utf8'));
}
