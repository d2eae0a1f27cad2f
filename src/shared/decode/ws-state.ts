/** Per-connection memory that makes later WebSocket messages readable (ack → method, attachment → event). */
import type { WsState } from './ws-types';

export const WS_MAX_REMEMBERED = 1000;

export function createWsState(): WsState {
  return { socketIo: {}, operations: new Map() };
}

/** Remembers `key → value`, forgetting the oldest entry past `WS_MAX_REMEMBERED`. */
export function remember(state: WsState | undefined, key: string, value: string): void {
  if (state === undefined) return;
  if (state.operations.size >= WS_MAX_REMEMBERED) {
    const oldest = state.operations.keys().next().value;
    if (oldest !== undefined) state.operations.delete(oldest);
  }
  state.operations.set(key, value);
}
