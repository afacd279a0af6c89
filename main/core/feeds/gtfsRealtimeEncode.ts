/**
 * Writes GTFS-realtime VehiclePositions as the protobuf a transit agency serves: for the demo
 * simulator and the sample replay, which serve what the gtfs-rt adapter reads. Field numbers from
 * the official gtfs-realtime.proto (google/transit). Tests do not use it as their oracle: they
 * encode with protobufjs from the .proto itself.
 */
import { PbfWriter } from 'pbf';

export interface VehiclePositionMessage {
  header: { timestamp: number };
  entity: {
    id: string;
    vehicle?: {
      trip?: { tripId?: string; routeId?: string; directionId?: number; startDate?: string };
      vehicle?: { id?: string; label?: string };
      position: { latitude: number; longitude: number; bearing?: number | undefined; speed?: number | undefined };
      currentStopSequence?: number;
      stopId?: string;
      /** VehicleStopStatus, by number or by its name in the proto (`IN_TRANSIT_TO`). */
      currentStatus?: number | string;
      timestamp?: number;
    };
  }[];
}

const STOP_STATUS = ['INCOMING_AT', 'STOPPED_AT', 'IN_TRANSIT_TO'];

export function encodeVehiclePositions(message: VehiclePositionMessage): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (h: VehiclePositionMessage['header'], w: PbfWriter) => {
    w.writeStringField(1, '2.0');
    w.writeVarintField(2, 0); // FULL_DATASET
    w.writeVarintField(3, h.timestamp);
  }, message.header);
  for (const e of message.entity) {
    pbf.writeMessage(2, (entity: typeof e, w: PbfWriter) => {
      w.writeStringField(1, entity.id);
      const v = entity.vehicle;
      if (!v) return;
      w.writeMessage(4, () => {
        const trip = v.trip;
        if (trip) {
          w.writeMessage(1, () => {
            if (trip.tripId !== undefined) w.writeStringField(1, trip.tripId);
            if (trip.startDate !== undefined) w.writeStringField(3, trip.startDate);
            if (trip.routeId !== undefined) w.writeStringField(5, trip.routeId);
            if (trip.directionId !== undefined) w.writeVarintField(6, trip.directionId);
          }, undefined);
        }
        w.writeMessage(2, () => {
          w.writeFloatField(1, v.position.latitude);
          w.writeFloatField(2, v.position.longitude);
          if (v.position.bearing !== undefined) w.writeFloatField(3, v.position.bearing);
          if (v.position.speed !== undefined) w.writeFloatField(5, v.position.speed);
        }, undefined);
        if (v.currentStopSequence !== undefined) w.writeVarintField(3, v.currentStopSequence);
        const status = typeof v.currentStatus === 'string' ? STOP_STATUS.indexOf(v.currentStatus) : v.currentStatus;
        if (status !== undefined && status >= 0) w.writeVarintField(4, status);
        if (v.timestamp !== undefined) w.writeVarintField(5, v.timestamp);
        if (v.stopId !== undefined) w.writeStringField(7, v.stopId);
        const d = v.vehicle;
        if (d) {
          w.writeMessage(8, () => {
            if (d.id !== undefined) w.writeStringField(1, d.id);
            if (d.label !== undefined) w.writeStringField(2, d.label);
          }, undefined);
        }
      }, undefined);
    }, e);
  }
  return pbf.finish();
}
