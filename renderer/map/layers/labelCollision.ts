import { CollisionFilterExtension } from '@deck.gl/extensions';

/**
 * Map labels that would draw over each other (CAP alert labels, unit callsigns, incident
 * priority tags) share one collision group: where two overlap, the one with the higher priority
 * stays and the other is hidden until zooming in separates them. Priorities: a P1/P2 tag first,
 * then alerts by severity, then callsigns.
 */
const extension = new CollisionFilterExtension();
export const LABEL_COLLISION = { extensions: [extension], collisionEnabled: true, collisionGroup: 'labels' };
export const COLLISION_PRIORITY = { incident: 900, alert: 500, unit: 100 } as const;
