/**
 * The client: `createClient`, the native protocol, transports, errors and types.
 * @module dashwire
 */
export { createClient } from './client/client.js';
export type {
  Client,
  ClientEvents,
  ClientStats,
  ConnectionState,
  SubscribeOptions,
  LifecycleEvents,
  MessageHandlers,
  StateChange,
  Subscription,
  SubscriptionState,
} from './client/types.js';
export type { EventMeta, GapInfo, SeqGap, TimeGap, InvalidMessage, UnknownMessage } from './client/message-types.js';
export type {
  SnapshotItem,
  SnapshotResult,
  SnapshotRequest,
  SnapshotSource,
  SnapshotInfo,
  ResyncedInfo,
  Freshness,
  FreshnessStats,
  StaleInfo,
  FreshInfo,
} from './client/store-types.js';
export { isTimeGap } from './client/message-types.js';
export { freshnessDefaults } from './client/freshness.js';
export { livenessDefaults } from './client/liveness.js';
export { canTransition, connectionTransitions } from './client/state.js';
export type { ConnectionStatus } from './client/state.js';
export { clientDefaults } from './client/options.js';
export { validationDefaults } from './client/validate.js';
export type { ValidationMode, ValidationOptions } from './client/validate.js';
export type { AuthOptions, ClientOptions, TokenRequest, TokenResult } from './client/options.js';
export { fallbackDefaults, polling, probeDefaults } from './client/fallback.js';
export type { FallbackStrategy, PollingFallbackOptions } from './client/fallback.js';
export { backoffDelay, reconnectDefaults, resolveReconnect } from './client/backoff.js';
export type { ReconnectOptions, ResolvedReconnectOptions } from './client/backoff.js';
export { DashwireError, isDashwireError } from './errors.js';
export type { DashwireErrorCode } from './errors.js';
export { defineEvents, reservedEventNames } from './events.js';
export type {
  ChannelArg,
  ChannelName,
  EventCatalog,
  EventName,
  EventPayload,
  ReservedEventName,
  RejectReserved,
  WithChannels,
} from './events.js';
export { defineProtocol } from './protocol/define.js';
export { stableStringify } from './protocol/json.js';
export { native, nativeDefaults } from './protocol/native.js';
export type { NativeOptions } from './protocol/native.js';
export { dashboardEvents, dashboardChannels } from './protocol/dashboard-catalog.js';
export { keepExtras } from './protocol/keep-extras.js';
export type { DashboardEvents } from './protocol/dashboard-catalog.js';
export type {
  Envelope,
  HeartbeatOptions,
  Inbound,
  InvalidReason,
  PollChannel,
  PollLimits,
  PollPage,
  PollRequest,
  PollingSpec,
  SnapshotSpec,
  Protocol,
  SubscribeRequest,
  SubscriptionParams,
} from './protocol/types.js';
export {
  presets,
  cryptoPortfolio,
  cryptoPortfolioChannels,
  cryptoPortfolioDefaults,
  cryptoPortfolioEvents,
  ares,
  aresChannels,
  aresDefaults,
  aresEvents,
  channelFeed,
  channelFeedChannels,
  channelFeedDefaults,
  channelFeedEvents,
  agentTracker,
  agentTrackerChannels,
  agentTrackerDefaults,
  agentTrackerEvents,
  sentio,
  sentioChannels,
  sentioDefaults,
  sentioEvents,
} from './backends/presets.js';
// Whole-frame schemas of each backend (pure: an app that does not import them does not bundle them).
export { cryptoPortfolioSchemas } from './backends/crypto-portfolio/wire.js';
export { aresSchemas } from './backends/ares/wire.js';
export { channelFeedSchemas } from './backends/channel-feed/wire.js';
export { agentTrackerSchemas } from './backends/agent-tracker/wire.js';
export { sentioSchemas } from './backends/sentio/wire.js';
export type {
  PresetName,
  CryptoPortfolioEvents,
  CryptoPortfolioOptions,
  AresEvents,
  AresOptions,
  ChannelFeedEvents,
  ChannelFeedOptions,
  AgentTrackerEvents,
  AgentTrackerOptions,
  SentioChannel,
  SentioEvents,
  SentioOptions,
  WithEvents,
} from './backends/presets.js';
export { webSocketTransport } from './transport/websocket.js';
export type { WebSocketConstructor, WebSocketLike, WebSocketTransportOptions } from './transport/websocket.js';
export { pollingTransport, pollingDefaults } from './transport/polling.js';
export { framePolling } from './protocol/frame-polling.js';
export type { PollUrlFor } from './protocol/frame-polling.js';
export type { FetchLike, PollingTransportOptions } from './transport/polling.js';
export { memoryTransport } from './transport/memory.js';
export type { MemoryAcceptor, MemoryTransportOptions } from './transport/memory.js';
export type {
  CloseInfo,
  Connection,
  ConnectionHandlers,
  ConnectRequest,
  HttpRequest,
  PollPlan,
  Transport,
} from './transport/types.js';
export { createPollCodec } from './protocol/poll-codec.js';
export type { PollCodec } from './protocol/poll-codec.js';
export type { ServerSocket } from './transport/server-socket.js';
export { createSharedWorkerHost } from './share/worker-host.js';
export type { ProtocolFactory, SharedWorkerHostOptions, WorkerScopeLike } from './share/worker-host.js';
export { shareDefaults } from './share/options.js';
export { tabs } from './share/tabs.js';
export type { ShareOptions, SharedWorkerLike } from './share/options.js';
export type { ShareStrategy } from './client/options.js';
export type { ShareMode } from './share/host-line.js';
export type { ShareHost } from './share/host.js';
export type { PortLike, ProtocolRef } from './share/messages.js';
export type { LockManagerLike, LockRequestOptions } from './share/locks.js';
