import { UsageError } from './args.js';

/** The `<url>` argument of `tail` or `check`: a `ws://` or `wss://` URL, else a usage error naming the command. */
export function requireWsUrl(text: string | undefined, command: 'tail' | 'check'): string {
  if (!text) throw new UsageError(`${command} needs a URL, e.g. dashwire ${command} ws://127.0.0.1:8080/ws`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: "${text}"`);
  }
  if (!['ws:', 'wss:'].includes(url.protocol))
    throw new UsageError(`expected a ws:// or wss:// URL, got "${url.protocol}//"`);
  return text;
}
