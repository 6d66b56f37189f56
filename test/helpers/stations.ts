/** An air monitoring station as the province's network describes one, for SensorThings tests. */

/** A PM2.5 Datastream with its Sensor and ObservedProperty, and the Observations given. */
export const pm25Stream = (name: string, observations?: { phenomenonTime: string; result: number }[]) => ({
  name: `${name} PM2.5`,
  description: 'Bụi mịn PM2.5, trung bình 1 giờ',
  unitOfMeasurement: { name: 'microgram per cubic metre', symbol: 'µg/m³', definition: 'http://qudt.org/vocab/unit/MicroGM-PER-M3' },
  observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
  Sensor: { name: 'BAM-1020', description: 'Beta attenuation monitor', encodingType: 'application/pdf', metadata: 'https://example.org/bam-1020.pdf' },
  ObservedProperty: { name: 'PM2.5', definition: 'http://vocabs.lter-europe.net/EnvThes/22602', description: 'Bụi có đường kính ≤ 2,5 µm' },
  ...(observations ? { Observations: observations } : {}),
});

/** A Thing at a Location (a point), with the Datastreams given (none by default). */
export const stationThing = (name: string, opts: { lon?: number; lat?: number; datastreams?: object[]; properties?: object } = {}) => ({
  name,
  description: `Trạm quan trắc không khí tự động ${name}`,
  ...(opts.properties ? { properties: opts.properties } : {}),
  Locations: [
    {
      name,
      description: `Vị trí trạm ${name}`,
      encodingType: 'application/geo+json',
      location: { type: 'Point', coordinates: [opts.lon ?? 108.99, opts.lat ?? 11.56] },
    },
  ],
  ...(opts.datastreams ? { Datastreams: opts.datastreams } : {}),
});
