import { describe, expect, it } from 'vitest';
import { exportHar } from '../../../src/shared/har/export';
import type { Entry } from '../../../src/shared/model';
import { makeEntry } from '../har/helpers';

/** An opaque secret: no shape (JWT, Bearer…) gives it away, only where it sits does. */
const S = 'Zq7SecretValue9XyW3k';

function exported(entries: Entry[]): string {
  return JSON.stringify(exportHar(entries));
}

describe('secrets in URL fragments and URL-valued fields', () => {
  it("OAuth's implicit flow: #access_token=… in a redirect's Location, redirectURL, the page's URL and title", () => {
    const redirect = makeEntry({
      frameUrl: `https://app.example/cb#access_token=${S}&scope=email&expires_in=3599`,
      response: { status: 302, statusText: 'Found', headers: [['Location', `https://app.example/cb#state=xyz&access_token=${S}`]] },
      wire: {
        requestId: '1',
        resourceType: 'xmlhttprequest',
        redirects: [{ url: 'https://auth.example/authorize', status: 302, location: `https://app.example/#/cb?id_token=${S}` }],
      },
    });
    const json = exported([redirect]);
    expect(json).not.toContain(S);
    const har = exportHar([redirect]);
    const e = har.log.entries[0];
    expect(e.response.headers[0].value).toBe('https://app.example/cb#state=xyz&access_token=%5Bredacted%3A16-32%5D');
    expect(e.response.redirectURL).toBe(e.response.headers[0].value);
    expect(har.log.pages[0].title).toBe('https://app.example/cb#access_token=%5Bredacted%3A16-32%5D&scope=email&expires_in=3599');
    expect(e._netlens?.wire?.redirects[0].location).toBe('https://app.example/#/cb?id_token=%5Bredacted%3A16-32%5D');
  });

  it("a redirect's credential-named value goes whole, as the request URL's does (a value may hold ;)", () => {
    const e = makeEntry({ response: { status: 302, statusText: 'Found', headers: [['Location', `/cb?code=abc;${S}&x=1`]] } });
    const res = exportHar([e]).log.entries[0].response;
    expect(res.headers[0].value).toBe('/cb?code=%5Bredacted%3A16-32%5D&x=1');
    expect(res.redirectURL).toBe(res.headers[0].value);
  });
});
