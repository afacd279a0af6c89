import { LABEL_FONT } from './fonts';
import { useMemo } from 'react';
import { PolygonLayer, TextLayer } from '@deck.gl/layers';
import { declutter, textBox } from './declutter';
import type { Layer } from '@deck.gl/core';
import type { Alert } from '../../../common/domain/entities';
import { usePicture } from '../../stores/picture';
import { formatDate, useLocaleStore, useT } from '../../i18n/index';
import type { RGBA } from './icons';
import type { CityPack } from '../../../common/contract';
import { geocodeRings } from '../../../common/geo/geocodeAreas';
import { newestTime, type LayerInputs, type MapLayerDef } from './types';
import { circleRing } from '../../../common/geo/local';
import { own } from '../../../common/own';

/** CAP severities, darkest red for Extreme; Unknown stays neutral so it is not read as Minor. */
export const SEVERITY_COLORS: Record<Alert['severity'], RGBA> = {
  Extreme: [200, 30, 60, 255],
  Severe: [255, 80, 40, 255],
  Moderate: [255, 170, 0, 255],
  Minor: [240, 225, 80, 255],
  Unknown: [150, 160, 175, 255],
};

interface AlertArea {
  id: string;
  alert: Alert;
  ring: [number, number][];
}

export function alertAreas(alerts: readonly Alert[], packAreas: CityPack['districts']['features'] = []): AlertArea[] {
  const out: AlertArea[] = [];
  for (const alert of alerts) {
    alert.polygons.forEach((ring, i) => out.push({ id: `${alert.id}#p${i}`, alert, ring: ring as [number, number][] }));
    alert.circles.forEach((c, i) => out.push({ id: `${alert.id}#c${i}`, alert, ring: circleRing([c.lon, c.lat], c.radiusM, 48, true) }));
    // Codes only (INSEE, FIPS/UGC…): drawn with the city pack's shapes for them, where it has them.
    if (alert.polygons.length === 0 && alert.circles.length === 0 && alert.geocodes.length > 0) {
      geocodeRings(alert.geocodes, packAreas as never).forEach((ring, i) => out.push({ id: `${alert.id}#g${i}`, alert, ring }));
    }
  }
  return out;
}

export function labelPoint(ring: [number, number][]): [number, number] {
  let x = 0, y = 0;
  for (const [lon, lat] of ring) { x += lon; y += lat; }
  return [x / ring.length, y / ring.length];
}

/** Where labels collide, the most severe alert's label is the one shown. */
const SEVERITY_RANK: Record<string, number> = { Extreme: 0, Severe: 1, Moderate: 2, Minor: 3 };
const LABEL_SIZE = 12;

function useAlertLayers({ pack, zoom, visible, opacity }: LayerInputs): Layer[] {
  const t = useT();
  const locale = useLocaleStore((s) => s.locale);
  const alerts = usePicture((s) => s.alerts);
  const areas = useMemo(() => alertAreas(Object.values(alerts), pack.districts.features), [alerts, pack]);
  return useMemo(() => {
    // A transit alert's event is a code pair ("no service (demonstration)"): its headline, in the UI's language where given, says more.
    const title = (a: Alert) => (a.transit ? (a.translations?.find((tr) => tr.language.toLowerCase().split('-')[0] === locale)?.headline ?? a.headline ?? a.event) : a.event);
    const label = (a: Alert) => `${title(a)}\n${a.expires ? t('layers.alerts.until', { time: formatDate(locale, a.expires, 'dayMonthTime') }) : t('layers.alerts.noExpiry')}`;
    // Labels drawn over each other are unreadable: those that would overlap a more severe one are left out (declutter.ts).
    const ranked = [...areas].sort((a, b) => (own(SEVERITY_RANK, a.alert.severity) ?? 4) - (own(SEVERITY_RANK, b.alert.severity) ?? 4));
    const labelled = declutter(ranked, (d) => labelPoint(d.ring), (d) => textBox(label(d.alert), LABEL_SIZE), zoom);
    return [
      new PolygonLayer<AlertArea>({
        id: 'alerts',
        data: areas,
        visible,
        opacity,
        pickable: true,
        stroked: true,
        filled: true,
        lineWidthUnits: 'pixels',
        getPolygon: (d) => d.ring,
        getFillColor: (d) => { const [r, g, b] = SEVERITY_COLORS[d.alert.severity]; return [r, g, b, 60]; },
        getLineColor: (d) => SEVERITY_COLORS[d.alert.severity],
        getLineWidth: 2,
      }),
      new TextLayer<AlertArea>({
        id: 'alert-labels',
        data: labelled,
        visible,
        opacity,
        getPosition: (d) => labelPoint(d.ring),
        getText: (d) => label(d.alert),
        getSize: LABEL_SIZE,
        getColor: (d) => SEVERITY_COLORS[d.alert.severity],
        fontFamily: LABEL_FONT,
        fontWeight: 700,
        outlineWidth: 3,
        outlineColor: [11, 17, 24, 255],
        fontSettings: { sdf: true },
        characterSet: 'auto',
        updateTriggers: { getText: locale },
      }),
    ];
  }, [areas, visible, opacity, t, locale, zoom]);
}

function useAlertLegend() {
  const t = useT();
  return (['Extreme', 'Severe', 'Moderate', 'Minor'] as const).map((s) => ({ color: SEVERITY_COLORS[s], label: t(`layers.alerts.${s}`), shape: 'area' as const }));
}

export const alertsLayerDef: MapLayerDef = {
  id: 'alerts',
  label: 'layers.alerts',
  useLayers: useAlertLayers,
  useLegend: useAlertLegend,
  useUpdatedAt: () => usePicture((s) => newestTime(s.alerts, (a) => a.sent)),
  fedByFeeds: true,
  feedKind: 'alert',
  describe: (info, t) => {
    const a = (info.object as AlertArea | undefined)?.alert;
    if (!a) return null;
    // Transit alerts: cause and effect in the UI's language rather than the adapter's code words.
    const what = a.transit ? `${t(`feature.alert.effect.${a.transit.effect}`)} (${t(`feature.alert.cause.${a.transit.cause}`)})` : a.event;
    const where = a.transit ? [a.transit.routes.join(', '), a.transit.stops.join(', ')].filter(Boolean).join(' · ') : a.areaDesc;
    return `${what} · ${t(`layers.alerts.${a.severity === 'Unknown' ? 'Minor' : a.severity}`)}${a.expires ? ` · ${t('layers.alerts.until', { time: formatDate(useLocaleStore.getState().locale, a.expires, 'dateTime') })}` : ''}\n${where}`;
  },
  select: (info) => {
    const a = info.layer?.id === 'alerts' ? (info.object as AlertArea | undefined)?.alert : undefined;
    return a ? { kind: 'alert', id: a.id } : null;
  },
};
