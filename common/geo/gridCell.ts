/**
 * Cells of the European statistical grid (INSPIRE Annex I "Geographical grid systems", the grid
 * Eurostat's population and mobile-network statistics use): square cells in ETRS89-LAEA
 * (EPSG:3035), named by their size and lower-left corner. Telecom presence counts come per cell,
 * so a bucket whose area is such an id is drawn where the cell is, with no table to deploy.
 *   CRS3035RES1000mN2890000E3800000   (INSPIRE: metres)
 *   1kmN2890E3800 · 100mN28900E38000  (Eurostat short form: multiples of the cell size)
 */
export interface GridCell {
  id: string;
  sizeM: number;
  /** Lower-left corner, EPSG:3035 metres. */
  east: number;
  north: number;
}

export function parseGridCell(id: string): GridCell | null {
  const full = /^CRS3035RES(\d+)mN(\d+)E(\d+)$/.exec(id);
  if (full) {
    const sizeM = Number(full[1]);
    return sizeM > 0 ? { id, sizeM, north: Number(full[2]), east: Number(full[3]) } : null;
  }
  const short = /^(\d+)(m|km)N(\d+)E(\d+)$/.exec(id);
  if (short) {
    const sizeM = Number(short[1]) * (short[2] === 'km' ? 1000 : 1);
    return sizeM > 0 ? { id, sizeM, north: Number(short[3]) * sizeM, east: Number(short[4]) * sizeM } : null;
  }
  return null;
}

// EPSG:3035: GRS80, natural origin 52°N 10°E, false easting 4,321,000 m, false northing 3,210,000 m.
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = 2 * F - F * F;
const E = Math.sqrt(E2);
const PHI0 = (52 * Math.PI) / 180;
const LAMBDA0 = (10 * Math.PI) / 180;
const FE = 4321000;
const FN = 3210000;
const q = (phi: number) => {
  const s = Math.sin(phi);
  return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * Math.log((1 - E * s) / (1 + E * s)));
};
const QP = q(Math.PI / 2);
const RQ = A * Math.sqrt(QP / 2);
const BETA0 = Math.asin(q(PHI0) / QP);
const D = (A * Math.cos(PHI0)) / Math.sqrt(1 - E2 * Math.sin(PHI0) ** 2) / (RQ * Math.cos(BETA0));

/** Lon/lat (degrees, ETRS89 ≈ WGS84 at map scale) → EPSG:3035 [east, north], EPSG Guidance Note 7-2 §3.1.7.1. */
export function laeaForward(lon: number, lat: number): [number, number] {
  const beta = Math.asin(q((lat * Math.PI) / 180) / QP);
  const dl = (lon * Math.PI) / 180 - LAMBDA0;
  const b = RQ * Math.sqrt(2 / (1 + Math.sin(BETA0) * Math.sin(beta) + Math.cos(BETA0) * Math.cos(beta) * Math.cos(dl)));
  return [FE + b * D * Math.cos(beta) * Math.sin(dl), FN + (b / D) * (Math.cos(BETA0) * Math.sin(beta) - Math.sin(BETA0) * Math.cos(beta) * Math.cos(dl))];
}

/** EPSG:3035 [east, north] → [lon, lat] in degrees (the same note's reverse formulas). */
export function laeaInverse(east: number, north: number): [number, number] {
  const x = east - FE;
  const y = north - FN;
  const rho = Math.sqrt((x / D) ** 2 + (D * y) ** 2);
  if (rho === 0) return [10, 52];
  const c = 2 * Math.asin(rho / (2 * RQ));
  const betaP = Math.asin(Math.cos(c) * Math.sin(BETA0) + (D * y * Math.sin(c) * Math.cos(BETA0)) / rho);
  const lambda = LAMBDA0 + Math.atan2(x * Math.sin(c), D * rho * Math.cos(BETA0) * Math.cos(c) - D * D * y * Math.sin(BETA0) * Math.sin(c));
  const phi =
    betaP +
    (E2 / 3 + (31 * E2 ** 2) / 180 + (517 * E2 ** 3) / 5040) * Math.sin(2 * betaP) +
    ((23 * E2 ** 2) / 360 + (251 * E2 ** 3) / 3780) * Math.sin(4 * betaP) +
    ((761 * E2 ** 3) / 45360) * Math.sin(6 * betaP);
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}

/** The cell as a closed lon/lat ring (corners only: at city scale a cell's edges are straight to the pixel) and its centre. */
export function gridCellShape(cell: GridCell): { ring: [number, number][]; center: [number, number] } {
  const { east: e, north: n, sizeM: s } = cell;
  const ring = [laeaInverse(e, n), laeaInverse(e + s, n), laeaInverse(e + s, n + s), laeaInverse(e, n + s), laeaInverse(e, n)];
  return { ring, center: laeaInverse(e + s / 2, n + s / 2) };
}
