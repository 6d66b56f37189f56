// npm run bench -- NAME   (NAME: startup | api-read | catalog-search | dataset-page | harvest | datastore-load | exchange-gateway | documents | wqi-reference | sensors-ingest | sensors-query | planning-consolidate | analytics)
const benches: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  startup: () => import('./startup.js'),
  'api-read': () => import('./api-read.js'),
  'catalog-search': () => import('./catalog-search.js'),
  'dataset-page': () => import('./dataset-page.js'),
  harvest: () => import('./harvest.js'),
  'datastore-load': () => import('./datastore-load.js'),
  'exchange-gateway': () => import('./exchange-gateway.js'),
  documents: () => import('./documents.js'),
  'wqi-reference': () => import('./wqi-reference.js'),
  'sensors-ingest': () => import('./sensors-ingest.js'),
  'sensors-query': () => import('./sensors-query.js'),
  'planning-consolidate': () => import('./planning-consolidate.js'),
  analytics: () => import('./analytics.js'),
};

const name = process.argv[2] ?? '';
const load = benches[name];
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join(' | ')}>`);
  process.exit(2);
}
await (await load()).run();
// Results are logged; keep-alive sockets of the HTTP clients must not hold the process open.
process.exit(0);
