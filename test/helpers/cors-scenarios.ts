/**
 * The CORS e2e matrix's scenarios (test/e2e/cors-matrix.test.ts, and deep capture's run of it):
 * each makes one cross-origin call from origin A to origin B of the test server.
 */
import type { Page } from 'puppeteer-core';
import type { Origins } from '../../src/cli/server';
import { corsForEntry } from '../../src/shared/entry-cors';
import type { Entry } from '../../src/shared/model';

export interface Scenario {
  name: string;
  api?: 'fetch' | 'xhr';
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
  /** Server knobs: acao, acac, acam, acah, aceh, maxAge, pfStatus, pf_<name> (see server.ts). */
  q: Record<string, string>;
  body?: string;
  mode?: RequestMode;
  redirectHops?: number;
  /** Run twice; the second call is the one judged (preflight cache). */
  twice?: boolean;
}

export const O = '$ORIGIN';
const LONG = 'a'.repeat(130);

export const SCENARIOS: Scenario[] = [
  { name: 'simple GET allowed', q: { acao: O } },
  { name: 'simple GET without ACAO', q: {} },
  { name: 'GET with ACAO *', q: { acao: '*' } },
  { name: 'credentialed GET with ACAO *', credentials: true, q: { acao: '*', acac: 'true' } },
  { name: 'credentialed GET without ACAC', credentials: true, q: { acao: O } },
  { name: 'credentialed GET allowed', credentials: true, q: { acao: O, acac: 'true' } },
  { name: 'credentialed GET with ACAC TRUE', credentials: true, q: { acao: O, acac: 'TRUE' } },
  { name: 'ACAO for another origin', q: { acao: 'http://other.example' } },
  { name: 'two ACAO values', q: { acao: `${O}, http://other.example` } },
  { name: 'ACAO null', q: { acao: 'null' } },
  { name: 'ACAO with trailing slash', q: { acao: `${O}/` } },
  { name: 'ACAO empty', q: { acao: '' } },
  { name: 'PUT allowed by ACAM', method: 'PUT', q: { acao: O, acam: 'PUT' } },
  { name: 'PUT without ACAM', method: 'PUT', q: { acao: O } },
  { name: 'DELETE with ACAM *', method: 'DELETE', q: { acao: O, acam: '*' } },
  { name: 'credentialed DELETE with ACAM *', method: 'DELETE', credentials: true, q: { acao: O, acac: 'true', acam: '*' } },
  { name: 'lowercase patch vs ACAM PATCH', method: 'patch', q: { acao: O, acam: 'PATCH' } },
  { name: 'custom header allowed', method: 'POST', headers: { 'X-Api-Key': 'k' }, q: { acao: O, acah: 'x-api-key' } },
  { name: 'custom header not allowed', method: 'POST', headers: { 'X-Api-Key': 'k' }, q: { acao: O } },
  { name: 'custom header under ACAH *', headers: { 'X-Api-Key': 'k' }, q: { acao: O, acah: '*' } },
  { name: 'credentialed custom header under ACAH *', credentials: true, headers: { 'X-Api-Key': 'k' }, q: { acao: O, acac: 'true', acah: '*' } },
  { name: 'Authorization under ACAH *', headers: { Authorization: 'Bearer x' }, q: { acao: O, acah: '*' } },
  { name: 'JSON content type not allowed', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', q: { acao: O } },
  { name: 'JSON content type allowed', method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', q: { acao: O, acah: 'content-type' } },
  { name: 'text/plain with charset is simple', method: 'POST', headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: 'x', q: { acao: O } },
  { name: 'preflight 404', method: 'PUT', q: { acao: O, acam: 'PUT', pfStatus: '404' } },
  { name: 'preflight 500', method: 'PUT', q: { acao: O, acam: 'PUT', pfStatus: '500' } },
  { name: 'preflight without ACAO', method: 'PUT', q: { acao: O, acam: 'PUT', pf_acao: '__none__' } },
  { name: 'credentialed preflight with ACAO *', method: 'PUT', credentials: true, q: { acao: O, acac: 'true', acam: 'PUT', pf_acao: '*' } },
  { name: 'preflight ACAO mismatch', method: 'PUT', q: { acao: O, acam: 'PUT', pf_acao: 'http://other.example' } },
  { name: 'credentialed preflight without ACAC', method: 'PUT', credentials: true, q: { acao: O, acac: 'true', acam: 'PUT', pf_acac: '__none__' } },
  { name: 'preflight ok, response without ACAO', method: 'PUT', q: { acao: '__none__', pf_acao: O, acam: 'PUT' } },
  { name: 'Range bytes=0- is simple', headers: { Range: 'bytes=0-' }, q: { acao: O } },
  { name: 'Range bytes=-5 needs a preflight', headers: { Range: 'bytes=-5' }, q: { acao: O } },
  { name: 'Accept-Language with an unsafe byte', headers: { 'Accept-Language': 'en(us)' }, q: { acao: O } },
  { name: 'Accept over 128 bytes', headers: { Accept: LONG }, q: { acao: O } },
  { name: 'ACAM with bad syntax', method: 'PUT', q: { acao: O, acam: 'PUT POST' } },
  { name: 'ACAH with bad syntax', headers: { 'X-Api-Key': 'k' }, q: { acao: O, acah: 'x-api-key y' } },
  { name: 'XHR GET allowed', api: 'xhr', q: { acao: O } },
  { name: 'XHR withCredentials with ACAO *', api: 'xhr', credentials: true, q: { acao: '*' } },
  { name: 'XHR custom header not allowed', api: 'xhr', method: 'POST', headers: { 'X-Trace': '1' }, q: { acao: O } },
  { name: 'XHR PUT allowed', api: 'xhr', method: 'PUT', q: { acao: O, acam: 'PUT' } },
  { name: 'exposed header', q: { acao: O, aceh: 'x-secret-header' } },
  { name: 'no-cors is opaque, never blocked', mode: 'no-cors', q: {} },
  { name: 'preflight cache hit', method: 'PUT', twice: true, q: { acao: O, acam: 'PUT', maxAge: '600' } },
];

export type RequestMode = 'cors' | 'no-cors';

/**
 * Chromium's own CORS verdicts for `page`'s requests from now on, as the DevTools protocol
 * reports them to a client of its own (`Network.loadingFailed.corsErrorStatus`): URL → status,
 * filled as they come. The reference the doctor is held to.
 */
export async function chromiumCorsFailures(page: Page): Promise<Map<string, { corsError: string; failedParameter: string }>> {
  const cdp = await page.createCDPSession();
  const urls = new Map<string, string>();
  const failures = new Map<string, { corsError: string; failedParameter: string }>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFailed', (e) => {
    const url = urls.get(e.requestId);
    if (url && e.corsErrorStatus) failures.set(url, e.corsErrorStatus);
  });
  await cdp.send('Network.enable');
  return failures;
}

/**
 * Makes every scenario's call from `page` (on origin A) in order; returns each with its URL.
 * `readBodies`: a fetch's response body is read (DevTools reports a request once the page's
 * loader finished with it: one whose body is never read stays unfinished there).
 */
export async function runScenarios(page: Page, servers: Origins, opts: { readBodies?: boolean } = {}): Promise<{ s: Scenario; url: string }[]> {
  const origin = servers.a;
  const calls = SCENARIOS.map((s, i) => {
    const q = new URLSearchParams({ n: String(i) });
    for (const [k, v] of Object.entries(s.q)) q.set(k, v.replaceAll(O, origin));
    return { s, url: `${servers.b}/cors?${q}` };
  });
  for (const { s, url } of calls) {
    const times = s.twice ? 2 : 1;
    for (let k = 0; k < times; k++) {
      await page.evaluate(
        ({ url, api, method, headers, credentials, body, mode, readBodies }) =>
          new Promise<void>((resolve) => {
            if (api === 'xhr') {
              const x = new XMLHttpRequest();
              x.open(method, url);
              x.withCredentials = credentials;
              for (const [n, v] of Object.entries(headers)) x.setRequestHeader(n, v);
              x.onloadend = () => resolve();
              x.send(body ?? null);
            } else {
              fetch(url, { method, headers, body, credentials: credentials ? 'include' : 'same-origin', mode }).then(
                (r) => (readBodies ? r.arrayBuffer().then(() => resolve()) : resolve()),
                () => resolve(),
              );
            }
          }),
        { url, api: s.api ?? 'fetch', method: s.method ?? 'GET', headers: s.headers ?? {}, credentials: !!s.credentials, body: s.body, mode: s.mode ?? 'cors', readBodies: !!opts.readBodies },
      );
    }
  }
  return calls;
}

/** One scenario judged: Chromium's verdict, the doctor's, whether an OPTIONS went out and whether the doctor said one would. */
export interface JudgedScenario {
  name: string;
  chromium: string;
  netlens: string;
  preflightSent: boolean;
  predicted: boolean | string;
}

/** Every scenario's calls settled in `entries` (none pending), with the wire view of each preflight-cache hit in. */
export function matrixSettled(calls: { s: Scenario; url: string }[], entries: Entry[]): boolean {
  const judged = entries.filter((e) => e.url.includes('/cors?') && (e.kind === 'fetch' || e.kind === 'xhr'));
  const total = calls.reduce((n, c) => n + (c.s.twice ? 2 : 1), 0);
  // A preflight-cache hit is judged from the wire (the request went out with no OPTIONS): its
  // wire records must be in, or the doctor rightly says it does not know.
  const cacheHits = calls.filter((c) => c.s.twice).map((c) => judged.filter((e) => e.url === c.url).at(-1));
  const onWire = cacheHits.every((e) => e?.wire?.sendTime !== undefined && e.wire.statusCode !== undefined);
  return judged.length >= total && judged.every((e) => e.state !== 'pending') && onWire;
}

/**
 * The CORS doctor's verdict on each scenario's (last) call against Chromium's (`failures`: URL →
 * DevTools protocol `corsErrorStatus`), and its preflight prediction against the OPTIONS the
 * server saw (`optionsSent(url)`). `disagreements` lists the scenarios where either differs.
 */
export function judgeScenarios(
  calls: { s: Scenario; url: string }[],
  entries: Entry[],
  failures: Map<string, { corsError: string }>,
  optionsSent: (url: string) => number,
): { rows: JudgedScenario[]; disagreements: JudgedScenario[] } {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rows: JudgedScenario[] = [];
  const disagreements: JudgedScenario[] = [];
  for (const { s, url } of calls) {
    const mine = entries.filter((e) => e.url === url && (e.kind === 'fetch' || e.kind === 'xhr'));
    const judged = mine[mine.length - 1];
    const analysis = judged ? corsForEntry(judged, (id) => byId.get(id)) : undefined;
    const cf = failures.get(url);
    const chromium = cf ? `blocked:${cf.corsError}` : 'allowed';
    const netlens = analysis ? (analysis.outcome === 'blocked' ? `blocked:${analysis.error}` : analysis.outcome) : 'no-entry';
    // A preflight-cache hit: the judged (second) call sent no OPTIONS of its own.
    const preflightSent = s.twice ? optionsSent(url) > 1 : optionsSent(url) > 0;
    const predicted = s.twice ? (analysis?.preflight.observed ?? false) : (analysis?.preflight.needed ?? false);
    // A cache hit the doctor did not call one is wrong; a second OPTIONS (the cache missed) judges nothing.
    const predictionWrong = s.twice ? !preflightSent && predicted !== 'cached' : typeof predicted === 'boolean' && predicted !== preflightSent;
    const row = { name: s.name, chromium, netlens, preflightSent, predicted };
    rows.push(row);
    if (chromium !== netlens || predictionWrong) disagreements.push(row);
  }
  return { rows, disagreements };
}
