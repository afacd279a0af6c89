import { useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { useClient } from '../app/ClientContext';
import { useT } from '../i18n/index';

/**
 * "Zoom to data" (Shift+Z, through its data-shortcut): fits the map to where the profile's
 * incidents lie (map.dataExtent, asked again each time: live data grows), in every profile kind.
 */
export function ZoomToDataButton({ getMap }: { getMap: () => maplibregl.Map | null }) {
  const t = useT();
  const client = useClient();
  const [note, setNote] = useState<string | null>(null);
  const zoom = async () => {
    try {
      const { bbox } = await client.call('map.dataExtent');
      const map = getMap();
      if (!bbox) {
        setNote(t('map.zoomToData.none'));
        return;
      }
      setNote(null);
      // A single place (or a handful at one address) gives a box of no size: keep a street-level zoom.
      map?.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 40, maxZoom: 15, duration: 300 });
    } catch (error) {
      setNote((error as Error).message);
    }
  };
  return (
    <>
      <button type="button" className="map-zoom-data" data-shortcut="shift+z" title={`${t('map.zoomToData')} (Shift+Z)`} onClick={() => void zoom()}>
        {t('map.zoomToData')}
      </button>
      {note && (
        <p className="map-warning" role="status">
          {note}
        </p>
      )}
    </>
  );
}
