/**
 * Deep capture (opt-in, Chrome only): chrome.debugger attached to one tab, its Network domain and
 * its workers' (Target.setAutoAttach, flattened sessions), mapped into deep records by
 * ../shared/deep/cdp.ts. Facts and traps: Chromium shows a "… started debugging this browser"
 * infobar while attached; a worker waiting for the debugger must get `Network.enable` and
 * `Runtime.runIfWaitingForDebugger` together, since awaiting the first leaves a starting service
 * worker paused for good.
 *
 * Listeners are registered when the module is created (the worker's top level), so a debugger
 * event wakes a stopped worker; an attached debugger session keeps it alive anyway (Chrome 118+).
 */
import { createCdpMapper, type CdpMapper, type CdpSession } from '../shared/deep/cdp';
import type { DeepEvent, DeepWorker } from '../shared/deep/events';
import type { DeepState } from '../shared/protocol';
import { readSettings, SETTINGS_KEY } from '../shared/settings';

export interface DeepCapture {
  /** Turns deep capture on or off for a tab; resolves with the resulting state (never rejects). */
  set(tabId: number, on: boolean): Promise<DeepState>;
  state(tabId: number): DeepState;
  /** Called whenever a tab's state changes. */
  onState(listener: (tabId: number, state: DeepState) => void): () => void;
}

interface Attached {
  mapper: CdpMapper;
  sessions: Map<string, CdpSession>;
}

const PROTOCOL = '1.3';

/** CDP TargetInfo.type → our worker type; other targets (iframes) count as the tab's own. */
const WORKER_TYPES: Record<string, DeepWorker['type']> = { worker: 'dedicated', shared_worker: 'shared', service_worker: 'service' };

export function createDeepCapture(emit: (tabId: number, records: DeepEvent[]) => void): DeepCapture {
  const attached = new Map<number, Attached>();
  const states = new Map<number, DeepState>();
  const listeners = new Set<(tabId: number, state: DeepState) => void>();
  const dbg = chrome.debugger;

  const setState = (tabId: number, state: DeepState) => {
    if (state.state === 'off') states.delete(tabId);
    else states.set(tabId, state);
    for (const l of listeners) l(tabId, state);
    return state;
  };

  const send = (target: chrome.debugger.DebuggerSession, method: string, params: Record<string, unknown> = {}) =>
    dbg.sendCommand(target, method, params) as Promise<unknown>;

  const handle = (tabId: number, tab: Attached, target: chrome.debugger.DebuggerSession, method: string, params: unknown) => {
    const session = target.sessionId ? tab.sessions.get(target.sessionId) : undefined;
    const { records, commands } = tab.mapper.event(method, params, session);
    if (records.length) emit(tabId, records);
    for (const c of commands) {
      send(target, c.method, c.params).then(
        (result) => {
          const more = c.then(result);
          if (more.length) emit(tabId, more);
        },
        () => {
          // The request is gone (or its body was not kept): nothing to add.
        },
      );
    }
  };

  if (dbg) {
    dbg.onEvent.addListener((source, method, params) => {
      const tabId = source.tabId;
      const tab = tabId === undefined ? undefined : attached.get(tabId);
      if (tabId === undefined || !tab) return;
      if (method === 'Target.attachedToTarget') {
        const p = (params ?? {}) as { sessionId?: string; targetInfo?: { type?: string; url?: string } };
        if (!p.sessionId) return;
        const type = WORKER_TYPES[p.targetInfo?.type ?? ''];
        if (type) tab.sessions.set(p.sessionId, { sessionId: p.sessionId, worker: { type, url: p.targetInfo?.url ?? '' } });
        const child = { tabId, sessionId: p.sessionId };
        // Together, never one awaited before the other (see the module's comment).
        void Promise.all([
          send(child, 'Network.enable', {}),
          send(child, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }),
          send(child, 'Runtime.runIfWaitingForDebugger'),
        ]).catch(() => {});
        return;
      }
      if (method === 'Target.detachedFromTarget') {
        const id = (params as { sessionId?: string } | undefined)?.sessionId;
        if (id) tab.sessions.delete(id);
        return;
      }
      if (method.startsWith('Network.')) handle(tabId, tab, source, method, params);
    });
    dbg.onDetach.addListener((source, reason) => {
      const tabId = source.tabId;
      if (tabId === undefined || !attached.has(tabId)) return;
      attached.delete(tabId);
      setState(tabId, { state: 'detached', reason });
    });
  }

  return {
    async set(tabId, on) {
      if (!dbg) return setState(tabId, { state: 'failed', reason: 'chrome.debugger is not available in this browser' });
      if (!on) {
        if (attached.delete(tabId)) await dbg.detach({ tabId }).catch(() => {});
        return setState(tabId, { state: 'off' });
      }
      if (attached.has(tabId)) return states.get(tabId) ?? { state: 'on' };
      const stored = await chrome.storage.local.get(SETTINGS_KEY).catch(() => ({}) as Record<string, unknown>);
      const tab: Attached = { mapper: createCdpMapper({ bodyCap: readSettings(stored[SETTINGS_KEY]).bodyCap }), sessions: new Map() };
      try {
        await dbg.attach({ tabId }, PROTOCOL);
      } catch (error) {
        return setState(tabId, { state: 'failed', reason: (error as Error).message });
      }
      attached.set(tabId, tab);
      try {
        const target = { tabId };
        await send(target, 'Network.enable', {});
        await send(target, 'Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
      } catch (error) {
        attached.delete(tabId);
        await dbg.detach({ tabId }).catch(() => {});
        return setState(tabId, { state: 'failed', reason: (error as Error).message });
      }
      return setState(tabId, { state: 'on' });
    },
    state: (tabId) => states.get(tabId) ?? { state: 'off' },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
