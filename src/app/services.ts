import path from 'node:path';
import type { Config } from '../platform/config/index.js';
import { Outbound } from '../platform/net/index.js';
import { EventBus } from '../platform/index.js';
import type { Db } from '../platform/db/index.js';
import { LocalFileStore, type FileStore } from '../platform/storage/index.js';
import { modules } from './modules.js';

/** Services every module shares, built once per app by the composition root and closed last. */
export interface SharedServices {
  files: FileStore;
  net: Outbound;
  events: EventBus;
  close(): Promise<void>;
}

/** The shared services; every module's `init` (its event subscriptions on this app's bus) runs here, once. */
export function createServices(config: Config, db: Db): SharedServices {
  const files = new LocalFileStore(path.join(config.dataDir, 'files'), db);
  const net = new Outbound({ allow: config.outboundAllow });
  const events = new EventBus();
  for (const m of modules) m.init?.({ config, events });
  return { files, net, events, close: () => net.close() };
}
