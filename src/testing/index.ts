/**
 * The feed engine in memory (mock-socket, or `memoryTransport`), for tests in jsdom, happy-dom or a browser.
 * @module dashwire/testing
 */
export { createTestServer, type TestServer, type TestServerFaults, type TestServerOptions } from './mock-socket.js';
export { createMemoryServer, type MemoryServer } from './memory.js';
export { bindControls, type FeedControls } from '../server/controls.js';
export { createFeedEngine, type ClientInfo, type FeedEngine, type ReceivedFrame } from '../server/engine.js';
export type { EngineFaults } from '../server/engine-faults.js';
export { feedEngineDefaults, type FeedEngineOptions, type FeedOptions } from '../server/engine-options.js';
export {
  jsonResponse,
  type AuthCheck,
  type DialectFactory,
  type DialectHost,
  type FeedClient,
  type FeedEvent,
  type FeedItem,
  type FeedSource,
  type HttpRequest,
  type HttpResponse,
  type ReplayResult,
  type ServerDialect,
} from '../server/dialect.js';
export { createDialect, dialectNames, registerDialect } from '../server/registry.js';
export { nativeDialect, encodeEvent, type NativeDialectOptions } from '../server/native-dialect.js';
export { unauthorizedCloseCode } from '../server/native-handshake.js';
export { nativeFeed, seededRandom } from '../server/native-feed.js';
export type { ServerSocket } from '../transport/server-socket.js';
