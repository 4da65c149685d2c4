import { DashwireError } from '../errors.js';

type Target = {
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
};

/** What the client does when the page says something about its connectivity. */
export interface PageSignals {
  /** Probe every open connection now (the page may have slept or been frozen). */
  readonly probe: () => void;
  /** The network is back: retry waiting connections at once, then probe. */
  readonly online: () => void;
}

/** Whether the page is hidden (a background tab, whose timers the browser throttles). */
export function pageHidden(): boolean {
  const doc = (globalThis as { document?: { visibilityState?: string } }).document;
  return doc?.visibilityState === 'hidden';
}

/**
 * Listens to `online`, `pageshow`, `focus`, `visibilitychange` and `resume` (a frozen page
 * resumed, Page Lifecycle API) where they exist (browsers; nothing in Node) and returns the
 * function that removes every listener again.
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
  window?.addEventListener('focus', signals.probe);
  document?.addEventListener('visibilitychange', visible);
  document?.addEventListener('resume', signals.probe);
  return () => {
    window?.removeEventListener('online', signals.online);
    window?.removeEventListener('pageshow', signals.probe);
    window?.removeEventListener('focus', signals.probe);
    document?.removeEventListener('visibilitychange', visible);
    document?.removeEventListener('resume', signals.probe);
  };
}

/** Schemes the built-in WebSocket and polling transports can open. */
const webSchemes = ['ws:', 'wss:', 'http:', 'https:'];

/**
 * Rejects, synchronously, a URL that can never work, so it is an error at `createClient` and
 * never a reconnect loop: missing, not parseable (`not a url`, `http//nope`, `ws://bad host`),
 * a scheme the built-in transports cannot open (any parseable scheme is fine for a custom
 * transport), and with `requireSecure` anything but wss:// and https://. Messages never quote
 * the URL: it may carry a token.
 */
export function checkUrls(urls: readonly string[], requireSecure: boolean, customTransport = false): void {
  if (urls.length === 0)
    throw new DashwireError(
      'invalid_url',
      'createClient needs `url` or `urls` (or a custom `transport` that ignores it)',
    );
  urls.forEach((url, index) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DashwireError('invalid_url', `URL #${index + 1} is not a valid absolute URL`, { details: { index } });
    }
    if (!customTransport && !webSchemes.includes(parsed.protocol)) {
      throw new DashwireError(
        'invalid_url',
        `URL #${index + 1}: scheme "${parsed.protocol}" is not ws, wss, http or https`,
        { details: { index, scheme: parsed.protocol } },
      );
    }
    if (requireSecure && !/^(wss|https):/i.test(url)) {
      throw new DashwireError('insecure_url', 'requireSecure: only wss:// and https:// URLs are allowed', {
        details: { scheme: url.split(':')[0] },
      });
    }
  });
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
