/**
 * How the suites launch Debian's Chromium (nothing here downloads a browser). Headless as
 * root needs --no-sandbox; the background-networking flags stop Chromium from calling out,
 * which this machine's closed network refuses many times a second.
 */
export const chromiumLaunch = {
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
};
