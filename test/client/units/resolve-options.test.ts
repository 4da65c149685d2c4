import { describe, expect, it } from 'vitest';
import { polling } from '../../../src/client/fallback.js';
import { clientDefaults } from '../../../src/client/options.js';
import { resolveOptions } from '../../../src/client/resolve-options.js';
import { native } from '../../../src/protocol/native.js';
import { scriptedServer } from '../../helpers/scripted-server.js';

const protocol = native();

describe('resolveOptions (from createClient options to each unit’s settings)', () => {
  it('fills in the defaults and the protocol’s heartbeat', () => {
    const { transport } = scriptedServer();
    const settings = resolveOptions({ url: 'ws://feed.test/ws', transport }, protocol);
    expect(settings.endpoints.urls).toEqual(['ws://feed.test/ws']);
    expect(settings.maxQueue).toBe(clientDefaults.maxQueue);
    expect(settings.endpoints.probeTimeoutMs).toBe(clientDefaults.probeTimeoutMs);
    expect(settings.endpoints.connection).toMatchObject({
      connectTimeoutMs: clientDefaults.connectTimeoutMs,
      maxMessageBytes: clientDefaults.maxMessageBytes,
      fixedInterval: false,
      heartbeat: {
        intervalMs: protocol.heartbeat.intervalMs,
        timeoutMs: protocol.heartbeat.timeoutMs,
        hiddenTimeoutMs: protocol.heartbeat.timeoutMs * clientDefaults.hiddenTimeoutFactor,
        wakeTimeoutMs: clientDefaults.probeTimeoutMs,
      },
    });
    // Snapshot requests go to the first URL's origin without a fallback URL.
    expect(settings.snapshots.baseUrl).toBe('http://feed.test');
  });

  it('a user interval is fixed (a welcome does not replace it); heartbeat: false and reconnect: false stay off', () => {
    const { transport } = scriptedServer();
    const fixed = resolveOptions({ url: 'ws://a.test', transport, heartbeat: { intervalMs: 1_000 } }, protocol);
    expect(fixed.endpoints.connection).toMatchObject({ fixedInterval: true, heartbeat: { intervalMs: 1_000 } });
    const off = resolveOptions({ url: 'ws://a.test', transport, heartbeat: false, reconnect: false }, protocol);
    expect(off.endpoints.connection).toMatchObject({ heartbeat: false, reconnect: false });
  });

  it('checks every URL, the fallback’s too: requireSecure cannot be bypassed by falling back', () => {
    expect(() => resolveOptions({}, protocol)).toThrow(expect.objectContaining({ code: 'invalid_url' }));
    expect(() => resolveOptions({ url: 'not a url' }, protocol)).toThrow(
      expect.objectContaining({ code: 'invalid_url' }),
    );
    expect(() =>
      resolveOptions(
        { url: 'wss://a.test', requireSecure: true, fallback: polling({ url: 'http://a.test' }) },
        protocol,
      ),
    ).toThrow(expect.objectContaining({ code: 'insecure_url' }));
    const settings = resolveOptions(
      { url: 'wss://a.test', fallback: polling({ url: 'https://b.test/api' }) },
      protocol,
    );
    expect(settings.snapshots.baseUrl).toBe('https://b.test/api');
  });
});
