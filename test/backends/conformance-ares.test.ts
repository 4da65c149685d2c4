import { afterEach, describe, expect, it } from 'vitest';
import { presets } from '../../src/backends/presets.js';
import { waitFor } from '../helpers/wait.js';
import { pair } from './conformance.js';

describe('conformance: ares over the mock server', () => {
  let p: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('welcomes with `connected` and delivers every message type, valid', async () => {
    p = await pair('ares', presets.ares());
    await waitFor(() => p!.seen.has('connected'));
    expect((p.seen.get('connected') as { data: { topics: string[] } }).data.topics).toHaveLength(13);
    p.server.setFeed({ rate: 300 });
    await p.everyType();
  });

  it('pings with {"type":"ping"} and the hub answers pong (rtt measured); subscribe sends nothing', async () => {
    p = await pair('ares', presets.ares());
    p.client.subscribe('signals');
    await waitFor(() => p!.frames().length > 0);
    expect(p.frames().every((f) => JSON.stringify(f) === '{"type":"ping"}')).toBe(true);
    await waitFor(() => p!.client.stats().rttMs !== undefined);
  });

  it('reconnects after faults.dropAll() and gets a fresh welcome', async () => {
    p = await pair('ares', presets.ares());
    await waitFor(() => p!.seen.has('connected'));
    p.seen.clear();
    await p.reconnects();
    await waitFor(() => p!.seen.has('connected'));
  });
});
