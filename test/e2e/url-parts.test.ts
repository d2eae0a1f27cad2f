import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializedParts } from '../../src/shared/url';
import { startEnv, type Env } from '../helpers/env';
import { URL_FIELDS, urlSamples } from '../helpers/url-samples';

/**
 * The panel reads serialized URLs without parsing them (serializedParts): whatever it answers must
 * be what Chromium's own URL parser gives, which differs from Node's in places (it decodes some
 * escapes in paths, for one).
 */
describe("serializedParts agrees with Chromium's URL parser", () => {
  let env: Env;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(() => env?.close());

  it('on 20,000 generated URLs (every one it answers for)', async () => {
    const urls = fc.sample(urlSamples, { numRuns: 20_000, seed: 42 });
    const page = await env.session.browser.newPage();
    const chromium = (await page.evaluate(
      (list: string[], fields: readonly string[]) =>
        list.map((u) => {
          try {
            const parsed = new URL(u) as unknown as Record<string, string>;
            return fields.map((f) => parsed[f]);
          } catch {
            return null;
          }
        }),
      urls,
      URL_FIELDS,
    )) as (string[] | null)[];
    let answered = 0;
    urls.forEach((u, i) => {
      const fast = serializedParts(u);
      if (!fast) return;
      answered++;
      expect([u, URL_FIELDS.map((f) => fast[f])]).toEqual([u, chromium[i]]);
    });
    expect(answered).toBeGreaterThan(2_000);
  });
});
