import { batch, computed, signal } from '@preact/signals';
import type { CorsAnalysis } from '../shared/cors';
import { corsForEntry } from '../shared/entry-cors';
import { groupLongPolling, type LongPollGroup } from '../shared/long-polling';
import type { Entry } from '../shared/model';
import type { BackgroundToPanel, StoreHealth } from '../shared/protocol';
import { createTimeline, type Timeline } from '../shared/timeline';

/** The panel's state: one timeline fed by every incoming message, and the views derived from it. */
export function createPanelStore() {
  let timeline: Timeline = createTimeline();
  let lastSeq = 0;
  const version = signal(0);
  const selectedId = signal<string | undefined>(undefined);
  const dropped = signal(0);
  /** Losses by reason and the storage's state (undefined from an older background). */
  const health = signal<StoreHealth | undefined>(undefined);
  /** A trace opened from a file replaces the live view until it is closed. */
  const imported = signal<{ entries: Entry[]; warnings: string[] } | undefined>(undefined);
  const entries = computed<Entry[]>(() => {
    void version.value;
    return imported.value?.entries ?? timeline.entries();
  });
  const importedById = computed(() => new Map((imported.value?.entries ?? []).map((e) => [e.id, e])));
  const lookup = (id: string) => (imported.value ? importedById.value.get(id) : timeline.get(id));
  const corsOnly = signal(false);
  const text = signal('');
  /** The CORS analysis of every cross-origin entry, recomputed when records arrive. */
  const cors = computed(() => {
    void version.value;
    const map = new Map<string, CorsAnalysis>();
    for (const e of entries.value) {
      const analysis = corsForEntry(e, lookup);
      if (analysis?.crossOrigin) map.set(e.id, analysis);
    }
    return map;
  });
  /** Long-polling channels (COMET): entry id → its group. */
  const longPolls = computed(() => {
    const map = new Map<string, LongPollGroup>();
    try {
      for (const group of groupLongPolling(entries.value)) for (const id of group.entryIds) map.set(id, group);
    } catch {
      // Grouping is a hint: without it the entries still show.
    }
    return map;
  });
  const visible = computed(() => {
    const needle = text.value.toLowerCase();
    const corsMap = cors.value;
    return entries.value.filter(
      (e) => (!corsOnly.value || corsMap.get(e.id)?.outcome === 'blocked') && (!needle || e.url.toLowerCase().includes(needle) || e.kind === needle),
    );
  });
  const selected = computed(() => {
    void version.value;
    void imported.value;
    return selectedId.value ? lookup(selectedId.value) : undefined;
  });

  function applyMessage(msg: BackgroundToPanel) {
    batch(() => {
      if (msg.type === 'health') {
        health.value = msg.health;
        dropped.value = msg.health.dropped;
        return;
      }
      if (msg.type === 'cleared') {
        timeline = createTimeline();
        lastSeq = 0;
        selectedId.value = undefined;
      } else {
        if (msg.type === 'snapshot') {
          dropped.value = msg.dropped;
          health.value = msg.health;
        }
        for (const rec of msg.records) {
          if (rec.seq <= lastSeq) continue;
          lastSeq = rec.seq;
          timeline.apply(rec);
        }
      }
      version.value++;
    });
  }

  return {
    entries,
    visible,
    cors,
    longPolls,
    imported,
    openTrace(list: Entry[], warnings: string[]) {
      batch(() => {
        imported.value = { entries: list, warnings };
        selectedId.value = undefined;
      });
    },
    closeTrace() {
      imported.value = undefined;
    },
    corsOnly,
    text,
    selected,
    selectedId,
    dropped,
    health,
    captureErrors: computed(() => {
      void version.value;
      return timeline.captureErrors;
    }),
    pageEventsDropped: computed(() => {
      void version.value;
      return timeline.pageEventsDropped;
    }),
    lastSeq: () => lastSeq,
    applyMessage,
    select: (id: string | undefined) => (selectedId.value = id),
  };
}

export type PanelStore = ReturnType<typeof createPanelStore>;
