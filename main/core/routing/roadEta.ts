import type { UnitType } from '../../../common/domain/unit';
import { straightLineEta, TRAVEL, type EtaEstimate, type EtaModel } from '../dispatch/eta';
import { log } from '../log';
import { packRouter } from './packRouter';
import type { Router, Towards } from './router';
import type { TravelMode } from './roadRules';

const logger = log('routing');

/** Unit types that travel on the roads, and on which graph; the others (aircraft, vessels) fly or sail straight. */
const MODE_OF: Partial<Record<UnitType, TravelMode>> = { vehicle: 'vehicle', unknown: 'vehicle', person: 'foot' };

/**
 * ETAs over a city pack's road network: per incident, ONE search per travel mode from the
 * incident over the reversed graph gives every unit's drive (or walk) time at once. A unit off the
 * network (more than 500 m from its mode's roads) or cut off from the incident gets the
 * straight-line estimate, marked as such.
 */
export function roadEtaModel(router: () => Router | null): EtaModel {
  const model: EtaModel & { towards: NonNullable<EtaModel['towards']> } = {
    id: 'road-network-v1',
    estimate: (from, to, unitType) => model.towards(to)(from, unitType),
    towards(to) {
      const r = router();
      const searches = new Map<TravelMode, Towards | null>();
      return (from, unitType): EtaEstimate => {
        const mode = MODE_OF[unitType];
        if (!r || !mode) return straightLineEta.estimate(from, to, unitType);
        if (!searches.has(mode)) searches.set(mode, r.towards(mode, to));
        const search = searches.get(mode);
        const reach = search?.reach(from);
        if (!search || !reach) return straightLineEta.estimate(from, to, unitType);
        return { distanceM: reach.distanceM, etaS: TRAVEL[unitType].startS + reach.timeS, via: 'road', path: () => search.path(from, reach.node) };
      };
    },
  };
  return model;
}

/**
 * The ETA model for a profile's city pack: over its roads when it has them, else the straight
 * line. The graph is read on first use; a pack whose graph cannot be read falls back, said in the log.
 */
export function packEtaModel(packDir: string | undefined): EtaModel {
  if (!packDir) return straightLineEta;
  let failed = false;
  return roadEtaModel(() => {
    if (failed) return null;
    try {
      return packRouter(packDir);
    } catch (error) {
      failed = true;
      logger.warn({ err: error, packDir }, 'road graph unreadable: dispatch ranks by straight line; rebuild the pack with "vigie pack build --roads …"');
      return null;
    }
  });
}
