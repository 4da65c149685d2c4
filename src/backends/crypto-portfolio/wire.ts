import * as z from 'zod';
import { keepExtras } from '../../protocol/keep-extras.js';
import { cryptoPortfolioEvents } from './preset.js';

const e = cryptoPortfolioEvents;

/**
 * Wire frames of the crypto portfolio service in both directions. The server's frames are flat `{type, …}`;
 * the Rust server reads nothing from clients, so `client` is empty.
 * @category Presets
 */
export const cryptoPortfolioSchemas = /* @__PURE__ */ (() =>
  ({
    // A pure call: only the mock server and tests read these, and no client entry imports this file.
    server: {
      price_update: keepExtras({ type: z.literal('price_update'), ...e.price_update.shape }),
      trade_executed: keepExtras({ type: z.literal('trade_executed'), ...e.trade_executed.shape }),
      trim_executed: keepExtras({ type: z.literal('trim_executed'), ...e.trim_executed.shape }),
      benchmark_triggered: keepExtras({ type: z.literal('benchmark_triggered'), ...e.benchmark_triggered.shape }),
      portfolio_update: keepExtras({ type: z.literal('portfolio_update'), ...e.portfolio_update.shape }),
      conversion_completed: keepExtras({ type: z.literal('conversion_completed'), ...e.conversion_completed.shape }),
    },
    client: {},
  }) as const)();
