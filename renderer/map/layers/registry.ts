import { alertsLayerDef } from './alerts';
import { camerasLayerDef } from './cameras';
import { districtsLayerDef } from './districts';
import { forecastsLayerDef } from './forecasts';
import { incidentsLayerDef } from './incidents';
import { unitsLayerDef } from './units';
import { indicatorsLayerDef } from './indicators';
import { signalsLayerDef } from './signals';
import { calendarLayerDef } from './calendar';
import { coverageLayerDef } from './coverage';
import { routesLayerDef } from './routes';
import type { MapLayerDef } from './types';

/**
 * The map's layers, bottom to top. Adding a kind of layer (annotations…) is one import and one
 * line here: MapView draws it, the layer panel lists it with its toggle, opacity and legend.
 */
export const MAP_LAYERS: readonly MapLayerDef[] = [
  // Below the others so Shift+1…6 keep their layers: district alerts Shift+7, signals 8, planned events 9.
  // Coverage (Shift+O) under everything; the routes of a ranking above the streets, under units and incidents.
  coverageLayerDef,
  routesLayerDef,
  calendarLayerDef,
  signalsLayerDef,
  indicatorsLayerDef,
  districtsLayerDef,
  forecastsLayerDef,
  alertsLayerDef,
  camerasLayerDef,
  unitsLayerDef,
  incidentsLayerDef,
];
