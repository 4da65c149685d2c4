import { act } from '@testing-library/react';
import { vi } from 'vitest';
import { flush } from '../helpers/scripted-server.js';

/** Fakes the clock and animation frames; microtasks (the memory transport) stay real. */
export function useFakeClock(): void {
  vi.useFakeTimers({
    toFake: [
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'Date',
      'requestAnimationFrame',
      'cancelAnimationFrame',
    ],
  });
}

/** Lets in-memory frames and promise chains run, and React commit what they caused. */
export async function settle(): Promise<void> {
  await act(async () => {
    await flush();
  });
}

/** Advances fake time by `ms` (one animation frame by default) and commits. */
export async function advance(ms = 16): Promise<void> {
  await act(async () => {
    vi.advanceTimersByTime(ms);
    await flush();
  });
}

export const trade = (id: string, symbol = 'SOL') => ({ id, symbol, side: 'buy', price: '1.5', quantity: '2', ts: 1 });
