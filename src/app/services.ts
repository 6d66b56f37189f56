import path from 'node:path';
import type { Config } from '../platform/config/index.js';
import { Outbound } from '../platform/net/index.js';
import { FileStore } from '../platform/storage/index.js';

/** Services every module shares, built once per app by the composition root and closed last. */
export interface SharedServices {
  files: FileStore;
  net: Outbound;
  close(): Promise<void>;
}

export function createServices(config: Config): SharedServices {
  const files = new FileStore(path.join(config.dataDir, 'files'));
  const net = new Outbound({ allow: config.outboundAllow });
  return { files, net, close: () => net.close() };
}
