import { DashwireError } from '../errors.js';

type Target = { addEventListener(type: string, fn: () => void): void; removeEventListener(type: string, fn: () => void): void };

/** What the client does when the page says something about its connectivity. */
export interface PageSignals {
  /** Probe every open connection now (the page may have slept or been frozen). */
  probe(): void;
  /** The network is back: retry waiting connections at once, then probe. */
  online(): void;
}

/** Whether the page is hidden (a background tab, whose timers the browser throttles). */
export function pageHidden(): boolean {
  const doc = (globalThis as { document?: { visibilityState?: string } }).document;
  return doc?.visibilityState === 'hidden';
}

/**
 * Listens to `online`, `pageshow` and `visibilitychange` where they exist (browsers; nothing
 * in Node) and returns the function that removes every listener again.
 */
export function watchPage(signals: PageSignals): () => void {
  const g = globalThis as { addEventListener?: unknown; document?: Target };
  const window = typeof g.addEventListener === 'function' ? (g as unknown as Target) : undefined;
  const document = g.document && typeof g.document.addEventListener === 'function' ? g.document : undefined;
  const visible = (): void => {
    if (!pageHidden()) signals.probe();
  };
  window?.addEventListener('online', signals.online);
  window?.addEventListener('pageshow', signals.probe);
  document?.addEventListener('visibilitychange', visible);
  return () => {
    window?.removeEventListener('online', signals.online);
    window?.removeEventListener('pageshow', signals.probe);
    document?.removeEventListener('visibilitychange', visible);
  };
}

/** Rejects a missing URL, and with `requireSecure` any URL that is not wss:// or https://. */
export function checkUrls(urls: readonly string[], requireSecure: boolean): void {
  if (urls.length === 0) throw new DashwireError('invalid_url', 'createClient needs `url` or `urls` (or a custom `transport` that ignores it)');
  for (const url of urls) {
    if (requireSecure && !/^(wss|https):/i.test(url)) {
      throw new DashwireError('insecure_url', 'requireSecure: only wss:// and https:// URLs are allowed', { details: { scheme: url.split(':')[0] } });
    }
  }
}

/** Base URL of a server's REST endpoints: its WebSocket URL's origin over http(s). */
export function httpOrigin(webSocketUrl: string): string {
  try {
    const url = new URL(webSocketUrl);
    url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
    return url.origin;
  } catch {
    return webSocketUrl;
  }
}
