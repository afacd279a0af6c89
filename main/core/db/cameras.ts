import type { Camera } from '../../../common/domain/entities';
import type { CameraFields } from '../../../common/domain/camera';
import type { Db } from './connection';

interface Row {
  id: string;
  feed_id: string;
  external_id: string;
  name: string | null;
  lon: number;
  lat: number;
  heading: number | null;
  field_of_view: number | null;
  range_m: number | null;
  status: string;
  stream_url: string | null;
  t: number;
  updated_at: number;
  seq: number;
}

const fromRow = (r: Row, simulated: boolean): Camera => ({
  id: r.id,
  feedId: r.feed_id,
  externalId: r.external_id,
  ...(r.name != null ? { name: r.name } : {}),
  lon: r.lon,
  lat: r.lat,
  ...(r.heading != null ? { heading: r.heading } : {}),
  ...(r.field_of_view != null ? { fieldOfView: r.field_of_view } : {}),
  ...(r.range_m != null ? { range: r.range_m } : {}),
  status: r.status as Camera['status'],
  ...(r.stream_url != null ? { streamUrl: r.stream_url } : {}),
  t: r.t,
  simulated,
  updatedAt: r.updated_at,
  seq: r.seq,
});

/**
 * The camera as windows see it in lists and pushes: whether it has a stream, not the stream's
 * address, so that opening a stream always goes through the journaled `cameras.stream`.
 */
export function withoutStream(camera: Camera): Camera {
  const { streamUrl, ...rest } = camera;
  return streamUrl ? { ...rest, hasStream: true } : rest;
}

const SAME = (a: Camera, b: CameraFields) =>
  a.name === b.name && a.lon === b.lon && a.lat === b.lat && a.heading === b.heading && a.fieldOfView === b.fieldOfView && a.range === b.range && a.status === b.status && a.streamUrl === b.streamUrl;

export class CameraRepository {
  // Prepared once: a SensorThings feed reports every camera's status on each poll.
  private readonly getStmt;
  private readonly upsertStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM cameras WHERE id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO cameras (id, feed_id, external_id, name, lon, lat, heading, field_of_view, range_m, status, stream_url, t, updated_at, seq)
       VALUES (@id, @feedId, @externalId, @name, @lon, @lat, @heading, @fieldOfView, @range, @status, @streamUrl, @t, @updatedAt, @seq)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, lon = excluded.lon, lat = excluded.lat, heading = excluded.heading,
         field_of_view = excluded.field_of_view, range_m = excluded.range_m, status = excluded.status, stream_url = excluded.stream_url,
         t = excluded.t, updated_at = excluded.updated_at, seq = excluded.seq`,
    );
  }

  get(id: string): Camera | null {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? fromRow(row, false) : null;
  }

  differs(id: string, fields: CameraFields): boolean {
    const current = this.get(id);
    return !current || !SAME(current, fields);
  }

  upsert(camera: Camera): void {
    this.upsertStmt.run({
      ...camera,
      name: camera.name ?? null,
      heading: camera.heading ?? null,
      fieldOfView: camera.fieldOfView ?? null,
      range: camera.range ?? null,
      streamUrl: camera.streamUrl ?? null,
    });
  }

  list(simulatedFeeds: ReadonlySet<string> = new Set()): Camera[] {
    return (this.db.prepare('SELECT * FROM cameras ORDER BY id').all() as Row[]).map((r) => fromRow(r, simulatedFeeds.has(r.feed_id)));
  }
}
