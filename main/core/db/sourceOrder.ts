/**
 * The one ordering rule for feed updates of the same source id (incidents, units, cameras,
 * alerts): an update whose source time is older than the one stored loses. Feeds retry, re-send
 * pages and deliver over several paths, so arrival order is not the order things happened in.
 * Equal times: the later arrival wins (a correction sent within the same second).
 */
export function isOutdated(storedSourceTime: number | null | undefined, incomingSourceTime: number): boolean {
  return storedSourceTime != null && storedSourceTime > incomingSourceTime;
}
