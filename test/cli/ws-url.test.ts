import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { requireWsUrl } from '../../src/cli/ws-url.js';

describe('requireWsUrl (the <url> of tail and check)', () => {
  it('returns a ws:// or wss:// URL as it was written', () => {
    expect(requireWsUrl('ws://127.0.0.1:8080/ws', 'tail')).toBe('ws://127.0.0.1:8080/ws');
    expect(requireWsUrl('wss://feed.example.com/ws?token=t', 'check')).toBe('wss://feed.example.com/ws?token=t');
  });

  it('refuses a missing, unparsable or non-WebSocket URL with a usage error that names the command', () => {
    expect(() => requireWsUrl(undefined, 'check')).toThrow(
      new UsageError('check needs a URL, e.g. dashwire check ws://127.0.0.1:8080/ws'),
    );
    expect(() => requireWsUrl('', 'tail')).toThrow('tail needs a URL, e.g. dashwire tail ws://127.0.0.1:8080/ws');
    expect(() => requireWsUrl('not a url', 'tail')).toThrow('not a URL: "not a url"');
    expect(() => requireWsUrl('http://x', 'tail')).toThrow('expected a ws:// or wss:// URL, got "http://"');
    expect(() => requireWsUrl('http://x', 'tail')).toThrow(UsageError);
  });
});
