import { IncidentDetails } from '../incidents/IncidentDetails';
import { useMapSelection } from '../../stores/mapSelection';
import { FeatureDetails } from './FeatureDetails';

/** The details column: the unit, camera or alert picked on the map, else the selected incident. */
export function DetailsColumn() {
  const feature = useMapSelection((s) => s.selected);
  return feature ? <FeatureDetails key={`${feature.kind}:${feature.id}`} feature={feature} /> : <IncidentDetails />;
}
