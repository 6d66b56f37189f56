import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { ROOT } from '../root.js';
import { html, type Html } from '../http/index.js';
import type { App } from '../http/index.js';

/** What the layout needs to load the client assets. */
export interface Assets {
  scripts: string[];
  styles: string[];
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  css?: string[];
}

const DIST = path.join(ROOT, 'dist', 'web');
const MANIFEST = path.join(DIST, '.vite', 'manifest.json');
const SOURCE_CSS = path.join(ROOT, 'web', 'src', 'styles.css');
const ENTRY = 'src/main.ts';
const DEV_CSS_URL = '/assets/dev/styles.css';

/** Reads Vite's manifest; without a build the pages fall back to the raw stylesheet and no script. */
export function loadAssets(manifestPath = MANIFEST): Assets {
  if (fs.existsSync(manifestPath)) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
    const entry = manifest[ENTRY] ?? Object.values(manifest).find((c) => c.isEntry);
    if (entry) return { scripts: [`/${entry.file}`], styles: (entry.css ?? []).map((f) => `/${f}`) };
  }
  return { scripts: [], styles: fs.existsSync(SOURCE_CSS) ? [DEV_CSS_URL] : [] };
}

export const assetTags = (a: Assets): Html =>
  html`${a.styles.map((href) => html`<link rel="stylesheet" href="${href}" />`)}${a.scripts.map((src) => html`<script type="module" src="${src}"></script>`)}`;

/**
 * Serves the built files under /assets/ (hashed names, so cached for a year and immutable), or
 * the source stylesheet when there is no build.
 */
export async function assetRoutes(app: App): Promise<void> {
  const dir = path.join(DIST, 'assets');
  if (fs.existsSync(dir)) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('cache-control', 'public, max-age=31536000, immutable'),
    });
    return;
  }
  app.get(DEV_CSS_URL, { schema: { hide: true } }, async (_req, reply) => {
    const css = await fs.promises.readFile(SOURCE_CSS, 'utf8').catch(() => '');
    return reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css);
  });
}
