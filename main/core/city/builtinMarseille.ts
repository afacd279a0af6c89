/**
 * Places the demo can use when the real Marseille data (../shared/data/marseille) is not beside
 * the checkout: well-known public places, with the arrondissement they belong to. Coordinates are
 * approximate (±50 m), enough to put simulated incidents in plausible spots.
 */
export interface Place {
  name: string;
  district: string;
  lon: number;
  lat: number;
}

export const BUILTIN_PLACES: readonly Place[] = [
  { name: 'Vieux-Port, quai des Belges', district: '1er', lon: 5.3747, lat: 43.2951 },
  { name: 'La Canebière', district: '1er', lon: 5.3794, lat: 43.2973 },
  { name: 'Noailles, marché des Capucins', district: '1er', lon: 5.3808, lat: 43.2953 },
  { name: 'Gare Saint-Charles', district: '1er', lon: 5.3806, lat: 43.3026 },
  { name: 'Cours Julien', district: '6e', lon: 5.3834, lat: 43.2935 },
  { name: 'Place Castellane', district: '6e', lon: 5.3838, lat: 43.2857 },
  { name: 'Préfecture, place Félix-Baret', district: '6e', lon: 5.3789, lat: 43.2903 },
  { name: 'Notre-Dame de la Garde', district: '6e', lon: 5.3712, lat: 43.284 },
  { name: 'Le Panier, place de Lenche', district: '2e', lon: 5.3672, lat: 43.2987 },
  { name: 'La Joliette, place de la Joliette', district: '2e', lon: 5.3667, lat: 43.3042 },
  { name: 'MuCEM, esplanade J4', district: '2e', lon: 5.3608, lat: 43.2967 },
  { name: 'Belle de Mai, rue Jobin', district: '3e', lon: 5.3905, lat: 43.3115 },
  { name: 'Longchamp, palais Longchamp', district: '4e', lon: 5.3946, lat: 43.3048 },
  { name: 'La Blancarde, gare', district: '4e', lon: 5.4075, lat: 43.2956 },
  { name: 'Baille, boulevard Baille', district: '5e', lon: 5.3912, lat: 43.2884 },
  { name: 'Vallon des Auffes', district: '7e', lon: 5.3511, lat: 43.2856 },
  { name: 'Corniche Kennedy, Catalans', district: '7e', lon: 5.3588, lat: 43.2905 },
  { name: 'Stade Vélodrome', district: '8e', lon: 5.3958, lat: 43.2698 },
  { name: 'Rond-point du Prado', district: '8e', lon: 5.3928, lat: 43.2729 },
  { name: 'Plages du Prado', district: '8e', lon: 5.3725, lat: 43.2604 },
  { name: 'Pointe Rouge, port', district: '8e', lon: 5.3707, lat: 43.2467 },
  { name: 'Mazargues, place', district: '9e', lon: 5.4021, lat: 43.2491 },
  { name: 'Sainte-Marguerite Dromel', district: '9e', lon: 5.4057, lat: 43.2603 },
  { name: 'La Timone, hôpital', district: '5e', lon: 5.4007, lat: 43.2893 },
  { name: 'Saint-Loup', district: '10e', lon: 5.4309, lat: 43.2775 },
  { name: 'La Valentine', district: '11e', lon: 5.4843, lat: 43.2975 },
  { name: 'Saint-Barnabé', district: '12e', lon: 5.4186, lat: 43.3049 },
  { name: 'Château-Gombert', district: '13e', lon: 5.4448, lat: 43.3556 },
  { name: 'Frais Vallon', district: '13e', lon: 5.4232, lat: 43.3255 },
  { name: 'Saint-Just, hôtel du département', district: '13e', lon: 5.4119, lat: 43.3194 },
  { name: 'Le Merlan', district: '14e', lon: 5.4049, lat: 43.3385 },
  { name: 'Saint-Antoine', district: '15e', lon: 5.3779, lat: 43.3721 },
  { name: 'Bougainville', district: '15e', lon: 5.3654, lat: 43.3262 },
  { name: "L'Estaque, port", district: '16e', lon: 5.3215, lat: 43.3623 },
];

/** The commune's bounds, for the default view when no city pack is installed. */
export const MARSEILLE_BOUNDS: [number, number, number, number] = [5.228, 43.17, 5.533, 43.392];
export const MARSEILLE_CENTER: [number, number] = [5.3798, 43.2965];
