// `npm start` builds only when the sources are newer than the last build (or no build exists).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const stamp = 'dist/.build-stamp';
const newest = (dir) => {
  let t = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};
const sources = Math.max(newest('src'), newest('web'), fs.statSync('package.json').mtimeMs);
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (sources > built) {
  console.log('[tinhso] building…');
  execSync('npm run build', { stdio: 'inherit' });
  fs.writeFileSync(stamp, new Date().toISOString());
}
