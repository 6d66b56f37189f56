import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../platform/root.js';

export { ROOT };

export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
