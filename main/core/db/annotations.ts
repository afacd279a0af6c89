import type { Annotation, AnnotationFields } from '../../../common/domain/annotation';
import type { Db } from './connection';

interface Row {
  id: string;
  fields: string;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
  deleted: number;
  seq: number;
}

// The version rides in the fields' JSON (rows from before versions read as version 1).
const fromRow = (r: Row): Annotation => ({
  version: 1,
  ...(JSON.parse(r.fields) as AnnotationFields & { version?: number }),
  id: r.id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
  deleted: r.deleted === 1,
  seq: r.seq,
});

/** The `annotations` projection, and the inside/outside state of each geofence's subjects. */
export class AnnotationRepository {
  private readonly insideStmt;
  private readonly setInsideStmt;

  constructor(private readonly db: Db) {
    // Used for every unit of every position batch while a geofence exists: prepared once.
    this.insideStmt = db.prepare('SELECT inside FROM geofence_state WHERE annotation_id = ? AND subject_id = ?');
    this.setInsideStmt = db.prepare('INSERT INTO geofence_state (annotation_id, subject_id, inside) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET inside = excluded.inside');
  }

  get(id: string): Annotation | null {
    const row = this.db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  save(a: Annotation): Annotation {
    const { id, createdBy, createdAt, updatedBy, updatedAt, deleted, seq, ...fields } = a;
    // `fields` keeps `version`: the projection's JSON carries it, no column needed.
    this.db
      .prepare(
        `INSERT INTO annotations (id, fields, created_by, created_at, updated_by, updated_at, deleted, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET fields = excluded.fields, updated_by = excluded.updated_by, updated_at = excluded.updated_at, deleted = excluded.deleted, seq = excluded.seq`,
      )
      .run(id, JSON.stringify(fields), createdBy, createdAt, updatedBy, updatedAt, deleted ? 1 : 0, seq);
    return a;
  }

  list(includeDeleted = false): Annotation[] {
    const rows = this.db.prepare(`SELECT * FROM annotations ${includeDeleted ? '' : 'WHERE deleted = 0'} ORDER BY created_at, id`).all() as Row[];
    return rows.map(fromRow);
  }

  geofences(): Annotation[] {
    return this.list().filter((a) => a.geofence);
  }

  /** Records whether the subject is inside; returns what it was before (null: never seen by this fence). */
  setInside(annotationId: string, subjectId: string, inside: boolean): boolean | null {
    const before = this.insideStmt.get(annotationId, subjectId) as { inside: number } | undefined;
    if (!before || before.inside !== (inside ? 1 : 0)) {
      this.setInsideStmt.run(annotationId, subjectId, inside ? 1 : 0);
    }
    return before ? before.inside === 1 : null;
  }
}
