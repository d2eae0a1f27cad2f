import type { Page } from 'har-format';
import type { Entry } from '../model';
import { isoTime } from './times';

/** One page per document, id = the document id (entries point at it with `pageref`). */
export function harPages(entries: readonly Entry[]): Page[] {
  const pages = new Map<string, { start: number; title: string }>();
  for (const e of entries) {
    if (e.doc === undefined) continue;
    const page = pages.get(e.doc);
    if (!page) pages.set(e.doc, { start: e.startTime, title: e.frameUrl ?? '' });
    else {
      if (e.startTime < page.start) page.start = e.startTime;
      if (!page.title && e.frameUrl) page.title = e.frameUrl;
    }
  }
  return [...pages].map(([id, p]) => ({ startedDateTime: isoTime(p.start), id, title: p.title, pageTimings: {} }));
}
