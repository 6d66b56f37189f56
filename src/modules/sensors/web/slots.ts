import { defineSlot } from '../../../platform/web/index.js';

/** Sections other modules add to the air quality page above the map (the warnings module: the public warnings in force). */
export const ENVIRONMENT_SECTIONS = defineSlot<Record<string, never>>('sensors.environment');

/** Sections other modules add to a station's page (the warnings module: that station's public warnings in force). */
export const STATION_SECTIONS = defineSlot<{ thingId: number }>('sensors.station');
