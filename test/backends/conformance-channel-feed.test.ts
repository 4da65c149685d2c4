import { afterEach, describe, expect, it } from 'vitest';
import { channelFeedChannels, presets } from '../../src/backends/presets.js';
import { channelFeedSchemas } from '../../src/backends/channel-feed/wire.js';
import { waitFor } from '../helpers/wait.js';
import { pair } from './conformance.js';

describe('conformance: channelFeed over the mock server', () => {
  let p: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('subscribes per channel with valid frames and receives every channel type, valid', async () => {
    p = await pair('channelFeed', presets.channelFeed());
    for (const channel of channelFeedChannels) p.client.subscribe(channel);
    await waitFor(() => p!.server.listClients()[0]?.subscriptions.size === 5);
    for (const frame of p.frames()) expect(channelFeedSchemas.client.subscribe.safeParse(frame).success).toBe(true);
    p.server.setFeed({ rate: 300 });
    await p.everyType();
  });

  it('only subscribed channels arrive; unsubscribe stops them; bad frames get an error frame', async () => {
    p = await pair('channelFeed', presets.channelFeed());
    const errors: string[] = [];
    p.client.on('error', (e) => errors.push(e.message));
    const sub = p.client.subscribe('dashboard');
    await waitFor(() => p!.server.listClients()[0]?.subscriptions.has('dashboard'));
    p.server.setFeed({ rate: 300 });
    await waitFor(() => p!.seen.has('dashboard_update'));
    expect([...p.seen.keys()]).toEqual(['dashboard_update']);
    sub.unsubscribe();
    await waitFor(() => p!.server.listClients()[0]?.subscriptions.size === 0);
    expect(channelFeedSchemas.client.unsubscribe.safeParse(p.frames().at(-1)).success).toBe(true);
    p.client.send({ type: 'subscribe', data: { channel: 'nope' }, timestamp: new Date().toISOString() });
    await waitFor(() => errors.length > 0);
    expect(errors[0]).toContain('unknown channel');
  });

  it('reconnects after faults.dropAll() and resubscribes', async () => {
    p = await pair('channelFeed', presets.channelFeed());
    p.client.subscribe('trades');
    await waitFor(() => p!.server.listClients()[0]?.subscriptions.has('trades'));
    await p.reconnects();
    await waitFor(() => p!.server.listClients()[0]?.subscriptions.has('trades'));
  });
});
