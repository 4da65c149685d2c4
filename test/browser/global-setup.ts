import type { TestProject } from 'vitest/node';
import { createMockServer, type MockServer } from '../../src/mock-server/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    wsUrl: string;
    httpUrl: string;
  }
}

/** The real `ws` mock server the browser suite talks to; browser commands reach it through this. */
export const shared: { server?: MockServer } = ((
  globalThis as { __dashwireBrowserServer?: { server?: MockServer } }
).__dashwireBrowserServer ??= {});

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await createMockServer({
    protocol: 'native',
    feed: false,
    host: '127.0.0.1',
    port: 0,
    replayBuffer: 5_000,
  });
  shared.server = server;
  project.provide('wsUrl', server.url);
  project.provide('httpUrl', server.httpUrl);
  return async () => {
    await server.close();
    shared.server = undefined;
  };
}
