/**
 * The compliance harness: the same fixture page in Chromium with netlens and in Chromium
 * without it, the same scenario run in both, the observations compared.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { startEnv, type Env } from '../helpers/env';
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
