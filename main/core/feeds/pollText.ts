import { asText } from './adapter';
import { log } from '../log';

const logger = log('feeds');

/**
 * A plain periodic GET for the small side sources (calendar agendas, aggregated signals) that do
 * not need the feed engine's cursors and backoff: fetch now, then every interval; a failure is
 * logged and the next tick tries again. Returns the timer so the owner can stop it.
 */
export function pollText(label: string, url: string, intervalSeconds: number, onText: (text: string) => void, encoding?: string): NodeJS.Timeout {
  const poll = async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      // Same decoding as the feeds (BOM, charset, XML declaration, UTF-8), fatal: a calendar in the
      // wrong encoding is refused with the reason in the log rather than read with U+FFFD.
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(res.headers.get('content-type') ?? '')?.[1];
      onText(asText(new Uint8Array(await res.arrayBuffer()), { charset, encoding }));
    } catch (error) {
      logger.error({ feed: label, err: error }, (error as Error).message);
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalSeconds * 1000);
  timer.unref();
  return timer;
}
