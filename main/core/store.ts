import path from 'node:path';
import { openDatabase, type Db } from './db/connection';
import { EventLog } from './db/eventLog';
import { IncidentRepository } from './db/incidents';
import { FeedStateRepository } from './db/feedState';
import { QuarantineRepository } from './db/quarantine';
import { UnitRepository } from './db/units';
import { CameraRepository } from './db/cameras';
import { AlertRepository } from './db/alerts';
import { AssignmentRepository } from './db/assignments';
import { AuditJournal } from './audit/journal';
import { AnnotationRepository } from './db/annotations';
import { MediaRepository } from './db/media';
import { secureProfile } from './profileFiles';

/** One profile's SQLite cache and the repositories over it. */
export class Store {
  readonly log: EventLog;
  readonly incidents: IncidentRepository;
  readonly feedState: FeedStateRepository;
  readonly quarantine: QuarantineRepository;
  readonly units: UnitRepository;
  readonly cameras: CameraRepository;
  readonly alerts: AlertRepository;
  readonly assignments: AssignmentRepository;
  readonly audit: AuditJournal;
  readonly annotations: AnnotationRepository;
  /** Citizen photos and videos of incidents (issue 22). */
  readonly media: MediaRepository;

  constructor(readonly db: Db) {
    this.log = new EventLog(db);
    this.incidents = new IncidentRepository(db);
    this.feedState = new FeedStateRepository(db);
    this.quarantine = new QuarantineRepository(db);
    this.units = new UnitRepository(db);
    this.cameras = new CameraRepository(db);
    this.alerts = new AlertRepository(db);
    this.assignments = new AssignmentRepository(db);
    this.audit = new AuditJournal(db);
    this.annotations = new AnnotationRepository(db);
    this.media = new MediaRepository(db);
  }

  /**
   * `db.transaction(fn)` for writes that append to the event log: when it rolls back, the log
   * forgets the sequence numbers it handed out (EventLog.resync), so the next append is right.
   */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    const tx = this.db.transaction(fn);
    return (...args: A) => {
      try {
        return tx(...args);
      } catch (error) {
        this.log.resync();
        throw error;
      }
    };
  }

  static open(profileDir: string): Store {
    const store = new Store(openDatabase(databasePath(profileDir)));
    secureProfile(profileDir);
    return store;
  }

  close(): void {
    this.db.close();
  }
}

export function databasePath(profileDir: string): string {
  return path.join(profileDir, 'vigie.sqlite');
}
