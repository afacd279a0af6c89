/**
 * Citizen media leave the service only through media.open (issue 22): a copy of an event payload
 * sent to a window, or written to a file, keeps how many photos or videos a report had, never
 * their addresses, unless the machine policy's citizenMedia.exports says exports may carry them.
 */
export function withoutMediaAddresses<P>(payload: P, allowed = false): P {
  if (allowed || !payload || typeof payload !== 'object' || !('media' in payload)) return payload;
  const media = (payload as { media?: unknown }).media;
  const { media: _dropped, ...rest } = payload as Record<string, unknown>;
  return { ...rest, mediaCount: Array.isArray(media) ? media.length : 0 } as P;
}
