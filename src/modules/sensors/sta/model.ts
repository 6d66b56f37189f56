/**
 * The SensorThings entity sets as data: their JSON properties (and the columns behind them) and
 * their navigation links (and the joins behind them). Reading, filtering, expanding and creating
 * are written once against this description.
 */
export type SetName = 'Things' | 'Locations' | 'HistoricalLocations' | 'Datastreams' | 'Sensors' | 'ObservedProperties' | 'Observations' | 'FeaturesOfInterest';

/** How a property is stored: text, JSON (any value), an instant, a time interval (start and end columns), a number. */
export type PropKind = 'text' | 'json' | 'time' | 'interval' | 'number';

export interface PropDef {
  column: string;
  kind: PropKind;
  required?: boolean;
  /** Kept by the server; a client may not set it. */
  serverSet?: boolean;
}

/**
 * A link to another set. `fk`: this row's column holding the target's id (to-one). `back`: the
 * target's column holding this row's id (to-many). `via`: a link table (many-to-many).
 */
export type LinkDef =
  | { target: SetName; one: true; fk: string }
  | { target: SetName; one: false; back: string }
  | { target: SetName; one: false; via: { table: string; self: string; other: string } };

export interface EntityDef {
  set: SetName;
  /** The singular name (a to-one link's name, and the key of a nested entity). */
  singular: string;
  table: string;
  props: Record<string, PropDef>;
  links: Record<string, LinkDef>;
}

const named = { name: { column: 'name', kind: 'text', required: true }, description: { column: 'description', kind: 'text', required: true } } as const;
const properties = { properties: { column: 'properties', kind: 'json' } } as const;

export const ENTITIES: Record<SetName, EntityDef> = {
  Things: {
    set: 'Things',
    singular: 'Thing',
    table: 'sta_thing',
    props: { ...named, ...properties },
    links: {
      Locations: { target: 'Locations', one: false, via: { table: 'sta_thing_location', self: 'thing_id', other: 'location_id' } },
      HistoricalLocations: { target: 'HistoricalLocations', one: false, back: 'thing_id' },
      Datastreams: { target: 'Datastreams', one: false, back: 'thing_id' },
    },
  },
  Locations: {
    set: 'Locations',
    singular: 'Location',
    table: 'sta_location',
    props: {
      ...named,
      encodingType: { column: 'encoding_type', kind: 'text', required: true },
      location: { column: 'location', kind: 'json', required: true },
      ...properties,
    },
    links: {
      Things: { target: 'Things', one: false, via: { table: 'sta_thing_location', self: 'location_id', other: 'thing_id' } },
      HistoricalLocations: {
        target: 'HistoricalLocations',
        one: false,
        via: { table: 'sta_historical_location_location', self: 'location_id', other: 'historical_location_id' },
      },
    },
  },
  HistoricalLocations: {
    set: 'HistoricalLocations',
    singular: 'HistoricalLocation',
    table: 'sta_historical_location',
    props: { time: { column: 'time', kind: 'time', required: true } },
    links: {
      Thing: { target: 'Things', one: true, fk: 'thing_id' },
      Locations: { target: 'Locations', one: false, via: { table: 'sta_historical_location_location', self: 'historical_location_id', other: 'location_id' } },
    },
  },
  Datastreams: {
    set: 'Datastreams',
    singular: 'Datastream',
    table: 'sta_datastream',
    props: {
      ...named,
      unitOfMeasurement: { column: 'unit_of_measurement', kind: 'json', required: true },
      observationType: { column: 'observation_type', kind: 'text', required: true },
      observedArea: { column: 'observed_area', kind: 'json', serverSet: true },
      phenomenonTime: { column: 'phenomenon_time', kind: 'interval', serverSet: true },
      resultTime: { column: 'result_time', kind: 'interval', serverSet: true },
      ...properties,
    },
    links: {
      Thing: { target: 'Things', one: true, fk: 'thing_id' },
      Sensor: { target: 'Sensors', one: true, fk: 'sensor_id' },
      ObservedProperty: { target: 'ObservedProperties', one: true, fk: 'observed_property_id' },
      Observations: { target: 'Observations', one: false, back: 'datastream_id' },
    },
  },
  Sensors: {
    set: 'Sensors',
    singular: 'Sensor',
    table: 'sta_sensor',
    props: {
      ...named,
      encodingType: { column: 'encoding_type', kind: 'text', required: true },
      metadata: { column: 'metadata', kind: 'text', required: true },
      ...properties,
    },
    links: { Datastreams: { target: 'Datastreams', one: false, back: 'sensor_id' } },
  },
  ObservedProperties: {
    set: 'ObservedProperties',
    singular: 'ObservedProperty',
    table: 'sta_observed_property',
    props: { name: named.name, definition: { column: 'definition', kind: 'text', required: true }, description: named.description, ...properties },
    links: { Datastreams: { target: 'Datastreams', one: false, back: 'observed_property_id' } },
  },
  Observations: {
    set: 'Observations',
    singular: 'Observation',
    table: 'sta_observation',
    props: {
      phenomenonTime: { column: 'phenomenon_time', kind: 'interval', required: true },
      resultTime: { column: 'result_time', kind: 'time' },
      result: { column: 'result', kind: 'json', required: true },
      resultQuality: { column: 'result_quality', kind: 'json' },
      validTime: { column: 'valid_time', kind: 'interval' },
      parameters: { column: 'parameters', kind: 'json' },
    },
    links: {
      Datastream: { target: 'Datastreams', one: true, fk: 'datastream_id' },
      FeatureOfInterest: { target: 'FeaturesOfInterest', one: true, fk: 'feature_id' },
    },
  },
  FeaturesOfInterest: {
    set: 'FeaturesOfInterest',
    singular: 'FeatureOfInterest',
    table: 'sta_feature',
    props: {
      ...named,
      encodingType: { column: 'encoding_type', kind: 'text', required: true },
      feature: { column: 'feature', kind: 'json', required: true },
      ...properties,
    },
    links: { Observations: { target: 'Observations', one: false, back: 'feature_id' } },
  },
};

export const SET_NAMES = Object.keys(ENTITIES) as SetName[];
export const isSetName = (s: string): s is SetName => s in ENTITIES;
