import { MAX_MEDIA_PER_INCIDENT, mediaKindOf, type MediaKind, type MediaRef } from '../../../common/domain/media';

/**
 * The photos and videos a record names, as references (issue 22): one address, several separated
 * by spaces, commas or `|` (a CSV cell), an array of addresses, or of `{ url, type }` objects (a
 * GeoJSON property). Only absolute http(s) addresses are kept; the file is never fetched here.
 */
export function mediaRefs(value: unknown): MediaRef[] {
  const items: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,|]+/) : value && typeof value === 'object' ? [value] : [];
  const refs: MediaRef[] = [];
  for (const item of items) {
    const url = typeof item === 'string' ? item.trim() : typeof (item as { url?: unknown })?.url === 'string' ? (item as { url: string }).url.trim() : '';
    if (!url || url.length > 2000 || !/^https?:\/\//i.test(url)) continue;
    try {
      new URL(url);
    } catch {
      continue;
    }
    const hinted = (item as { type?: unknown })?.type;
    const type: MediaKind = hinted === 'image' || hinted === 'video' ? hinted : typeof hinted === 'string' && /^(image|video)\//.test(hinted) ? (hinted.split('/')[0] as MediaKind) : mediaKindOf(url);
    if (!refs.some((r) => r.url === url)) refs.push({ url, type });
    if (refs.length === MAX_MEDIA_PER_INCIDENT) break;
  }
  return refs;
}
