/**
 * The compliance harness: the same fixture page in Chromium with netlens and in Chromium
 * without it, the same scenario run in both, the observations compared.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEnv, type Env } from '../helpers/env';
import { dumpRecords } from './records-dump';
import { launchPlain, type Plain } from '../helpers/plain';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Plain browser JavaScript, injected untransformed: `window.S = { name: async () => observations }`. */
export const scenarioSource = (name: string) => readFileSync(resolve(HERE, 'scenarios', `${name}.js`), 'utf8');

/** Runs `expression` in both pages, requires the same observations, and returns them. */
export async function same(pair: Pair, pages: [Page, Page], expression: string): Promise<any> {
  const [withNetlens, without] = await pair.both(pages, expression);
  expect(withNetlens).toEqual(without);
  return without;
}

export interface Pair {
  env: Env;
  plain: Plain;
  /** Opens `path` in both browsers (with netlens first) and injects the scenario files. */
  open(path: string, scenarios?: string[]): Promise<[Page, Page]>;
  /** Runs `expression` in both pages; returns [with netlens, without]. */
  both<T = unknown>(pages: [Page, Page], expression: string): Promise<[T, T]>;
  close(): Promise<void>;
}

export async function startPair(): Promise<Pair> {
  const [env, plain] = await Promise.all([startEnv(), launchPlain()]);
  return {
    env,
    plain,
    async open(path, scenarios = []) {
      const url = `${env.servers.a}${path}`;
      const pages = (await Promise.all([env.session.browser.newPage(), plain.browser.newPage()])) as [Page, Page];
      await Promise.all(pages.map((p) => p.goto(url)));
      for (const name of scenarios) {
        const src = scenarioSource(name);
        await Promise.all(pages.map((p) => p.evaluate(src)));
      }
      return pages;
    },
    async both<T>(pages: [Page, Page], expression: string) {
      const run = (p: Page) => p.evaluate(expression) as Promise<T>;
      // Sequential: the two browsers share two cores; timing-sensitive sequences stay stable.
      const a = await run(pages[0]);
      const b = await run(pages[1]);
      return [a, b] as [T, T];
    },
    async close() {
      await Promise.all([env.close(), plain.close()]);
    },
  };
}

/** A compliance file's pair and its two pages, once beforeAll has opened them (see comparedPages). */
export interface Scene {
  readonly pair: Pair;
  readonly pages: [Page, Page];
  /** `same` on these pages: the same observations in both, returned. */
  same(expression: string): Promise<any>;
}

/**
 * The setup the compliance files share (call inside describe()): a pair started before the
 * file's tests and closed after them, /compliance-blank.html opened in both browsers with the
 * `scenarios` files injected; `originB` sets window.ORIGIN_B to the second origin in both pages,
 * `dump` names the records dump written before closing (records-dump.ts, RECORD_DUMP only).
 */
export function comparedPages(scenarios: string[], options: { originB?: boolean; dump?: string } = {}): Scene {
  let pair: Pair | undefined;
  let pages: [Page, Page] | undefined;
  beforeAll(async () => {
    pair = await startPair();
    const opened = await pair.open('/compliance-blank.html', scenarios);
    pages = opened;
    const b = pair.env.servers.b;
    if (options.originB) await Promise.all(opened.map((p) => p.evaluate((origin) => ((window as unknown as { ORIGIN_B: string }).ORIGIN_B = origin), b)));
  });
  afterAll(async () => {
    if (pair && pages && options.dump) await dumpRecords(pair, pages[0], options.dump);
    await pair?.close();
  });
  const scene: Scene = {
    get pair() {
      return pair!;
    },
    get pages() {
      return pages!;
    },
    same: (expression: string) => same(scene.pair, scene.pages, expression),
  };
  return scene;
}
