import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`command -v chromium`), or a failure saying what to install: no browser is ever downloaded. */
export function chromiumPath(): string {
  let path = '';
  try {
    path = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    path = '';
  }
  if (!path)
    throw new Error(
      'chromium not found on PATH: install the Debian package (apt-get install -y chromium, or scripts/ensure-deps.sh --with-test-tools as root)',
    );
  return path;
}

/** Headless chromium with nothing running in the background and no network of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
