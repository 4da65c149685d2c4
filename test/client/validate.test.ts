import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  createClient,
  defineEvents,
  defineProtocol,
  native,
  type EventCatalog,
  type InvalidMessage,
  type Protocol,
} from '../../src/index.js';
import { createCheck } from '../../src/client/validate.js';
import { flush, price, scriptedServer } from '../helpers/scripted-server.js';

/** A client on the scripted server, subscribed to `prices`, recording what reaches the app. */
async function connected(options: { compile?: boolean } = {}, protocol: Protocol<EventCatalog> = native()) {
  const server = scriptedServer();
  const client = createClient({
    url: 'memory://x/ws',
    transport: server.transport,
    protocol,
    ...(options.compile === undefined ? {} : { validation: { compile: options.compile } }),
  });
  const prices: unknown[] = [];
  const invalid: InvalidMessage[] = [];
  client.on('price_update', (p) => prices.push(p));
  client.on('invalid', (e) => invalid.push(e));
  client.subscribe('prices');
  await flush();
  return { server, client, prices, invalid };
}

/** Valid, then wrong in several places at once (issue order and paths matter), then extra fields. */
async function feed(server: ReturnType<typeof scriptedServer>) {
  server.event('prices', 1, 'price_update', price('SOL', '101.5'));
  server.event('prices', 2, 'price_update', { symbol: 7, price: '1,5', change_24h: '0.1', ts: 'late' });
  server.event('prices', 3, 'price_update', { ...price('ETH', '2000'), venue: 'x' });
  await flush();
}

afterEach(() => {
  z.config({ jitless: false });
  vi.unstubAllGlobals();
});

describe('validation: compiled by default, runtime where code generation is not allowed', () => {
  it('compiles by default and delivers what the runtime parser delivers, with identical issues', async () => {
    const compiled = await connected();
    const runtime = await connected({ compile: false });
    await feed(compiled.server);
    await feed(runtime.server);

    expect(compiled.client.stats().validation).toBe('compiled');
    expect(runtime.client.stats().validation).toBe('runtime');
    expect(compiled.prices).toEqual([price('SOL', '101.5'), { ...price('ETH', '2000'), venue: 'x' }]);
    expect(compiled.prices).toEqual(runtime.prices);
    expect(compiled.invalid).toHaveLength(1);
    // The compiled fast path hands a rejected payload to zod's runtime parser: same issues, same detail.
    expect(compiled.invalid[0]!.issues).toEqual(runtime.invalid[0]!.issues);
    expect(compiled.invalid[0]!.issues?.map((i) => i.path.join('.'))).toEqual(['symbol', 'price', 'ts']);
    expect(compiled.invalid[0]!.detail).toBe(runtime.invalid[0]!.detail);
    await Promise.all([compiled.client.close(), runtime.client.close()]);
  });

  it("under zod's jitless config it validates with the runtime parser, silently", async () => {
    z.config({ jitless: true });
    const { server, client, prices, invalid } = await connected();
    await feed(server);
    expect(client.stats().validation).toBe('runtime');
    expect(prices).toHaveLength(2);
    expect(invalid).toHaveLength(1);
    await client.close();
  });

  it('where `new Function` throws (a CSP without unsafe-eval) it validates with the runtime parser, never throws', async () => {
    const refused = vi.fn(function refuse() {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
    });
    vi.stubGlobal('Function', refused);
    const { server, client, prices, invalid } = await connected();
    await feed(server);
    vi.unstubAllGlobals();
    expect(refused).toHaveBeenCalled();
    expect(client.stats().validation).toBe('runtime');
    expect(prices).toEqual([price('SOL', '101.5'), { ...price('ETH', '2000'), venue: 'x' }]);
    expect(invalid.map((e) => e.issues?.length)).toEqual([3]);
    await client.close();
  });

  it('a schema whose compilation fails on its first message is checked by the runtime parser', () => {
    const schema = z.object({ id: z.string() });
    schema.safeParse({ id: 'warm' }); // zod's runtime builds its own object fast path once, here
    const check = createCheck(schema, 'compiled');
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('no eval');
    });
    expect(check({ id: 'a' })).toEqual({ success: true, data: { id: 'a' } });
    vi.unstubAllGlobals();
    const rejected = check({ id: 1 });
    expect(rejected.success).toBe(false);
    expect(!rejected.success && rejected.error.issues).toEqual(schema.safeParse({ id: 1 }).error?.issues);
  });

  it("compiles a user's own catalogue (native({ events }), defineProtocol) and keeps its semantics", async () => {
    const events = defineEvents({
      price_update: z.object({ symbol: z.string(), price: z.string(), change_24h: z.string(), ts: z.number() }),
    });
    const own = await connected({}, native({ events }));
    const defined = await connected({}, defineProtocol({ ...native({ events }), events }));
    for (const { server } of [own, defined])
      server.event('prices', 1, 'price_update', { ...price('SOL', '1'), venue: 'x' });
    await flush();
    // z.object strips what it does not declare, compiled or not.
    expect(own.prices).toEqual([price('SOL', '1')]);
    expect(defined.prices).toEqual([price('SOL', '1')]);
    expect(own.client.stats().validation).toBe('compiled');
    await Promise.all([own.client.close(), defined.client.close()]);
  });
});
