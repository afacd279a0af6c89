import { z } from 'zod';

/**
 * A citizen's photo or video as a feed names it (Open311 `media_url`, a mapped GeoJSON property or
 * CSV column): only the address and a hint of its type are kept. The file itself is fetched when a
 * person opens it, cleaned of its metadata first (main/core/media/).
 */
export const MediaKind = z.enum(['image', 'video', 'unknown']);
export type MediaKind = z.infer<typeof MediaKind>;

export const MediaRef = z.object({
  url: z.string().min(1).max(2000),
  type: MediaKind,
});
export type MediaRef = z.infer<typeof MediaRef>;

/** At most this many pictures or videos per report: a control room needs to see the scene, not an album. */
export const MAX_MEDIA_PER_INCIDENT = 8;

/** What a window is told of one medium of an incident: never its address, only whether it may be shown. */
export const MediaItem = z.object({
  index: z.number().int().nonnegative(),
  type: MediaKind,
  /** A supervisor said it shows someone who is not part of the report: shown to supervisors only. */
  thirdParty: z.boolean(),
  /** Not shown to this caller; `hiddenReason` says why. */
  hidden: z.boolean(),
  hiddenReason: z.enum(['role', 'third_party', 'policy']).optional(),
  /** Already fetched and cleaned (opening it needs no request to the feed's host). */
  cached: z.boolean(),
});
export type MediaItem = z.infer<typeof MediaItem>;

/** A cleaned copy, ready to show. */
export const MediaContent = z.object({
  index: z.number().int().nonnegative(),
  contentType: z.enum(['image/jpeg', 'image/png', 'video/mp4']),
  /** The cleaned bytes, base64. */
  data: z.string(),
  bytes: z.number().int().nonnegative(),
  /** What cleaning removed ("APP1 (Exif)", "moov/udta"…), for the curious and the tests. */
  removed: z.array(z.string()),
});
export type MediaContent = z.infer<typeof MediaContent>;

/** "https://city.example/photos/12.mp4" → video; by the extension only, a hint until the bytes say. */
export function mediaKindOf(url: string): MediaKind {
  const path = url.split(/[?#]/)[0]!.toLowerCase();
  if (/\.(jpe?g|png|gif|webp|heic|heif)$/.test(path)) return 'image';
  if (/\.(mp4|m4v|mov|3gp|webm)$/.test(path)) return 'video';
  return 'unknown';
}
