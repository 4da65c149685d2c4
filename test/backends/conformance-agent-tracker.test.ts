import { afterEach, describe, expect, it } from 'vitest';
import { presets } from '../../src/backends/presets.js';
import seed from '../fixtures/seeds/003-agent-tracker.json' with { type: 'json' };
import { waitFor } from '../helpers/wait.js';
import { pair } from './conformance.js';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('conformance: agentTracker over the mock server', () => {
  let p: Awaited<ReturnType<typeof pair>> | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('sends `connection` and every message type from the feed, valid', async () => {
    p = await pair('agentTracker', presets.agentTracker());
    await waitFor(() => p!.seen.has('connection'));
    p.server.setFeed({ rate: 300 });
    await p.everyType();
    expect(p.frames()).toEqual([]);
  });

  it('the seed test endpoints broadcast what their curl examples describe', async () => {
    p = await pair('agentTracker', presets.agentTracker());
    await waitFor(() => p!.client.state === 'open');
    const base = `${p.server.httpUrl}/api/ws-test`;
    const status = (await (await fetch(`${base}/status`)).json()) as { connectedClients: number };
    expect(status.connectedClients).toBe(1);
    expect((await post(`${base}/simulate-agent-update`, seed['simulate-agent-update'])).status).toBe(200);
    await waitFor(() => p!.seen.has('agentUpdate'));
    expect(p.seen.get('agentUpdate')).toMatchObject({ data: { id: 'monitoring-agent', status: 'active' } });
    expect((await post(`${base}/simulate-task-creation`, seed['simulate-task-creation'])).status).toBe(200);
    await waitFor(() => p!.seen.has('taskUpdate'));
    expect(p.seen.get('taskUpdate')).toMatchObject({
      data: { agentId: 'monitoring-agent', type: 'price_check', priority: 'high', status: 'pending' },
    });
    expect((await post(`${base}/simulate-task-update`, seed['simulate-task-update'])).status).toBe(200);
    await waitFor(() => (p!.seen.get('taskUpdate') as { data: { id: string } }).data.id === 'task-123');
    expect(p.seen.get('taskUpdate')).toMatchObject({ data: { status: 'completed', result: { price: 45.67 } } });
    expect((await post(`${base}/broadcast-custom`, seed['broadcast-custom'])).status).toBe(200);
    await waitFor(() => p!.seen.has('portfolioUpdate'));
    expect(p.seen.get('portfolioUpdate')).toMatchObject({ data: { totalValue: 125000.5 } });
    expect((await post(`${base}/simulate-agent-update`, { agentId: 1 })).status).toBe(400);
    expect(p.invalid).toEqual([]);
  });

  it('reconnects after faults.dropAll() and gets a fresh `connection`', async () => {
    p = await pair('agentTracker', presets.agentTracker());
    await waitFor(() => p!.seen.has('connection'));
    p.seen.clear();
    await p.reconnects();
    await waitFor(() => p!.seen.has('connection'));
  });
});
