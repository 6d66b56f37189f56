import { collectDefaultMetrics, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The app's Prometheus registry (prom-client): process metrics, and what modules register on it
 * (the exchange gateway's calls and latencies). Served as text at `/metrics`. One per app, so
 * two apps in one process (tests) do not share counters.
 */
export function createMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tinhso_' });
  return registry;
}
