// The backoff policy is shared by the client's reconnect loop and the polling transport, so it
// lives at the top of src/ (transports import nothing from client/); the client's names stay here.
export { backoffDelay, reconnectDefaults, resolveReconnect, retryAfterFromReason, stripUndefined } from '../backoff.js';
export type { ReconnectOptions, ResolvedReconnectOptions } from '../backoff.js';
