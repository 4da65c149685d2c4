import * as z from 'zod';
import { keepExtras } from '../../protocol/keep-extras.js';
import { agentTrackerEvents } from './preset.js';

const e = agentTrackerEvents;

/**
 * Wire frames of the agent tracker: the server's `{type, data, timestamp}` frames, and the bodies of its
 * `/api/ws-test/*` endpoints (the WebSocket reads nothing from clients).
 * @category Presets
 */
export const agentTrackerSchemas = /* @__PURE__ */ (() =>
  ({
    // A pure call: only the mock server and tests read these, and no client entry imports this file.
    server: {
      agentUpdate: keepExtras({ type: z.literal('agentUpdate'), ...e.agentUpdate.shape }),
      taskUpdate: keepExtras({ type: z.literal('taskUpdate'), ...e.taskUpdate.shape }),
      connection: keepExtras({ type: z.literal('connection'), ...e.connection.shape }),
      portfolioUpdate: keepExtras({ type: z.literal('portfolioUpdate'), ...e.portfolioUpdate.shape }),
    },
    client: {},
    http: {
      simulateAgentUpdate: z.object({ agentId: z.string(), status: z.string() }),
      simulateTaskCreation: z.object({ agentId: z.string(), type: z.string(), priority: z.string() }),
      simulateTaskUpdate: z.object({ taskId: z.string(), status: z.string(), result: z.unknown().optional() }),
      broadcastCustom: z.object({ type: z.string().min(1), data: z.unknown() }),
    },
  }) as const)();
