/**
 * A plain periodic GET for the small side sources (calendar agendas, aggregated signals) that do
 * not need the feed engine's cursors and backoff: fetch now, then every interval; a failure is
 * logged and the next tick tries again. Returns the timer so the owner can stop it.
 */
export function pollText(label: string, url: string, intervalSeconds: number, onText: (text: string) => void): NodeJS.Timeout {
  const poll = async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      onText(await res.text());
    } catch (error) {
      console.error(`[${label}] ${(error as Error).message}`);
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalSeconds * 1000);
  timer.unref();
  return timer;
}
