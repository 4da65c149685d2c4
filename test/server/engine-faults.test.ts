import { describe, expect, it } from 'vitest';
import { createEngineFaults, type FaultSwitches } from '../../src/server/engine-faults.js';
import { fakeClient } from './fakes.js';

describe('engine faults', () => {
  const setup = () => {
    const clients = [fakeClient(), fakeClient()];
    const switches: FaultSwitches = { silenced: false, delayMs: 0, refusingUntil: 0 };
    let clock = 10_000;
    const faults = createEngineFaults(
      () => clients,
      switches,
      () => clock,
    );
    return { clients, switches, faults, advance: (ms: number) => (clock += ms) };
  };

  it('drops every client without a close frame, and sends raw text to each', () => {
    const { clients, faults } = setup();
    faults.sendRaw('not json');
    expect(clients.map((c) => c.sent)).toEqual([['not json'], ['not json']]);
    faults.dropAll();
    expect(clients.map((c) => c.closedWith?.code)).toEqual([1006, 1006]);
  });

  it('flips the switches the outboxes and the adapters read', () => {
    const { switches, faults, advance } = setup();
    faults.silence();
    expect(switches.silenced).toBe(true);
    faults.silence(false);
    expect(switches.silenced).toBe(false);
    faults.delay(-5);
    expect(switches.delayMs).toBe(0);
    faults.delay(250);
    expect(switches.delayMs).toBe(250);
    faults.refuse(1_000);
    expect(switches.refusingUntil).toBe(11_000);
    // A shorter refusal later does not cut the one in force short.
    advance(100);
    faults.refuse(10);
    expect(switches.refusingUntil).toBe(11_000);
  });
});
