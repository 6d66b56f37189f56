import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const SCREENS = path.resolve('.tmp/screens');

/** Debian's Chromium, headless, with nothing phoning home. */
export async function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SCREENS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const screenshotPath = (name: string): string => path.join(SCREENS, `${name}.png`);
