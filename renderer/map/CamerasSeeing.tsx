import { useMemo } from 'react';
import { camerasSeeing } from '../../common/geo/viewCone';
import { usePicture } from '../stores/picture';
import { useT } from '../i18n/index';

export interface SeeingPoint {
  lon: number;
  lat: number;
}

/** "Cameras that see this point": those whose view cone holds it, nearest first, with their status. */
export function CamerasSeeing({ point, onClose }: { point: SeeingPoint; onClose(): void }) {
  const t = useT();
  const cameras = usePicture((s) => s.cameras);
  const seeing = useMemo(() => camerasSeeing(Object.values(cameras), point.lon, point.lat), [cameras, point]);
  return (
    <section className="cameras-seeing panel" role="region" aria-label={t('cameras.seeingThisPoint')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header>
        <h2>{t('cameras.seeingThisPoint')}</h2>
        <button type="button" className="icon-button" aria-label={t('cameras.closeSeeing')} onClick={onClose} autoFocus>
          ×
        </button>
      </header>
      <p className="muted mono small">
        {point.lat.toFixed(5)}, {point.lon.toFixed(5)}
      </p>
      {seeing.length === 0 ? (
        <p>{t('cameras.noneSees')}</p>
      ) : (
        <ul aria-label={t('cameras.seeingList')}>
          {seeing.map((c) => (
            <li key={c.id} className={`camera-status-${c.status}`}>
              <strong>{c.name ?? c.externalId}</strong> · {Math.round(c.distance)} m · {t(`layers.cameras.${c.status === 'unknown' ? 'offline' : c.status}`)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
