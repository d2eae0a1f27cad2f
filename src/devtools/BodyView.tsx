import { useState } from 'preact/hooks';
import { encodeUtf8, toBase64, utf8Text } from '../shared/bytes';
import { decodeBody, hexDump, hexPreview, type DecodedBody, type SseRecord, type NdjsonRecord } from '../shared/decode';
import type { Payload } from '../shared/protocol';
import { payloadRaw } from '../shared/payload';
import { bytes } from './format';
import { JsonTree } from './JsonTree';

const RESERIALIZED_LABEL: Record<NonNullable<Payload['reserialized']>, string> = {
  json: 'the page\'s parsed JSON, re-serialised',
  document: 'the page\'s parsed document, re-serialised',
  text: 'the page\'s decoded text',
};
const RESERIALIZED_NOTE: Record<NonNullable<Payload['reserialized']>, string> = {
  json: 'XHR responseType "json" gives the page only the parsed value: big numbers, duplicate keys and number formats the server sent may differ here. The size is what the server sent.',
  document: 'XHR responseType "document" gives the page only the parsed document: this is its serialisation. The size is what the server sent.',
  text: 'The page received this text decoded from a charset netlens cannot re-encode exactly. The size is what the server sent.',
};

/** How a body is shown: decoded ("pretty"), as its source text, or as a hex dump. */
export type BodyViewMode = 'pretty' | 'source' | 'hex';
const MODE_LABEL: Record<BodyViewMode, string> = { pretty: 'Pretty', source: 'View source', hex: 'Hex' };

/** Source text shown up to this many characters, hex up to this many bytes (the rest is said, not drawn). */
const SOURCE_CHARS = 256 * 1024;
const HEX_BYTES = 64 * 1024;

/**
 * Images drawn as images: raster types recognized by their magic bytes (never by the declared
 * type), so SVG or HTML is never handed to the renderer.
 */
const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon']);

/** The body as text: captured text as is, bytes when they are UTF-8 without NULs; other bytes as hex. */
function SourceView({ raw: captured }: { raw: string | Uint8Array }) {
  const raw = typeof captured === 'string' ? captured : utf8Text(captured);
  if (raw === undefined || raw.includes('\0')) return <HexView raw={captured} />;
  return (
    <>
      {raw.length > SOURCE_CHARS && <p class="note">showing the first {SOURCE_CHARS / 1024} KiB of {bytes(raw.length)} characters</p>}
      <pre class="raw source" data-testid="body-source">{raw.slice(0, SOURCE_CHARS)}</pre>
    </>
  );
}

function HexView({ raw }: { raw: string | Uint8Array }) {
  const all = typeof raw === 'string' ? encodeUtf8(raw.slice(0, HEX_BYTES)) : raw;
  const shown = all.subarray(0, HEX_BYTES);
  return (
    <>
      {(all.length > HEX_BYTES || (typeof raw === 'string' && raw.length > HEX_BYTES)) && <p class="note">showing the first {HEX_BYTES / 1024} KiB</p>}
      <pre class="raw hex" data-testid="body-hex">{hexDump(shown)}</pre>
    </>
  );
}

/**
 * A captured body, decoded by content type (or sniffed); never rendered as markup. `modes` are
 * the views offered (the first shown first), switched by buttons `<testid>-mode-<mode>`.
 */
export function BodyView({ title, body, contentType, modes = ['pretty'] }: { title: string; body?: Payload; contentType?: string; modes?: BodyViewMode[] }) {
  const [chosen, setMode] = useState<BodyViewMode>(modes[0]);
  if (!body) return null;
  const mode = modes.includes(chosen) ? chosen : modes[0];
  const testid = `body-${title.toLowerCase().replace(/\s+/g, '-')}`;
  const header = (
    <h3>
      {title} <small>{bytes(body.size)}{body.truncated ? ' (truncated at the cap)' : ''}</small>
      {body.reserialized && (
        <small class="reserialized" data-testid="body-reserialized" title={RESERIALIZED_NOTE[body.reserialized]}>
          {' '}· not the bytes sent: {RESERIALIZED_LABEL[body.reserialized]}
        </small>
      )}
      {modes.length > 1 && (
        <span class="modes">
          {modes.map((m) => (
            <button key={m} class={m === mode ? 'on' : ''} aria-pressed={m === mode} onClick={() => setMode(m)} data-testid={`${testid}-mode-${m}`}>
              {MODE_LABEL[m]}
            </button>
          ))}
        </span>
      )}
    </h3>
  );
  if (body.form && mode === 'pretty') {
    return (
      <section data-testid={testid} data-kind="form">
        {header}
        <table class="pairs">
          <tbody>
            {body.form.map((f, i) => (
              <tr key={i}>
                <th>{f.name}</th>
                <td>{f.fileName !== undefined || f.size !== undefined && f.value === undefined ? `file ${f.fileName ?? ''} · ${f.type || 'no type'} · ${bytes(f.size ?? -1)}` : f.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  }
  const raw = payloadRaw(body);
  if (raw === undefined && body.encoding === 'base64') {
    return (
      <section data-testid={testid} data-kind="error">
        {header}
        <CouldNotDecode error="could not decode: the captured bytes are not valid base64" raw={body.data.slice(0, 64 * 1024)} />
      </section>
    );
  }
  if (raw === undefined) {
    return (
      <section data-testid={testid} data-kind="none">
        {header}
        <p class="muted">{body.source ? `${body.source} body` : 'body'}: contents not captured</p>
      </section>
    );
  }
  if (mode !== 'pretty') {
    return (
      <section data-testid={testid} data-kind={mode}>
        {header}
        {mode === 'hex' ? <HexView raw={raw} /> : <SourceView raw={raw} />}
      </section>
    );
  }
  const decoded = decodeBody(typeof raw === 'string' ? { text: raw, contentType: contentType ?? body.mimeType } : { bytes: raw, contentType: contentType ?? body.mimeType });
  return (
    <section data-testid={testid} data-kind={decoded.format}>
      {header}
      {decoded.note && <p class="note">{decoded.note}</p>}
      {decoded.format === 'image' && decoded.label && RASTER.has(decoded.mime) && (
        <img class="preview-image" data-testid="image-preview" alt={`${decoded.label} preview`} src={`data:${decoded.mime};base64,${toBase64(typeof raw === 'string' ? encodeUtf8(raw) : raw)}`} />
      )}
      <Decoded decoded={decoded} />
    </section>
  );
}

function Raw({ raw }: { raw: string | Uint8Array }) {
  const view = typeof raw === 'string' ? raw.slice(0, 64 * 1024) : hexPreview(raw, 4096).dump;
  return <pre class="raw">{view}</pre>;
}

function CouldNotDecode({ error, raw }: { error: string; raw: string | Uint8Array }) {
  return (
    <div class="could-not-decode" data-testid="could-not-decode">
      <p>{couldNotDecode(error)}</p>
      <Raw raw={raw} />
    </div>
  );
}

export function Decoded({ decoded }: { decoded: DecodedBody }) {
  switch (decoded.format) {
    case 'empty':
      return <p class="muted">empty</p>;
    case 'json':
      return decoded.result.ok ? (
        <div class="json" data-testid="json-tree">
          <JsonTree node={decoded.result.value} />
        </div>
      ) : (
        <CouldNotDecode error={`${decoded.result.error} (at ${decoded.result.offset})`} raw={decoded.raw} />
      );
    case 'urlencoded':
      return (
        <table class="pairs">
          <tbody>
            {decoded.result.pairs.map((p, i) => (
              <tr key={i}>
                <th>{p.name}</th>
                <td>{p.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    case 'multipart':
      return (
        <div>
          {!decoded.result.ok && <CouldNotDecode error={decoded.result.error} raw={decoded.raw} />}
          <table class="pairs" data-testid="multipart-parts">
            <tbody>
              {decoded.result.parts.map((p, i) => (
                <tr key={i}>
                  <th>{p.name ?? `part ${i + 1}`}</th>
                  <td>
                    {p.headers.length > 0 && (
                      <div class="part-headers muted" data-testid="part-headers">
                        {p.headers.map(([n, v], k) => (
                          <div key={k}>
                            {n}: {v}
                          </div>
                        ))}
                      </div>
                    )}
                    {p.kind === 'text' ? (
                      p.text
                    ) : (
                      <>
                        file {p.filename ?? ''} · {p.contentType ?? 'no type'} · {bytes(p.size)}
                        <pre class="raw">{p.preview.dump}</pre>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'event-stream':
      return <SseList records={decoded.result.records} />;
    case 'ndjson':
      return <NdjsonList records={decoded.result.records} />;
    case 'jsonp':
      return <pre>{JSON.stringify(decoded.result, (k, v) => (k === 'raw' ? undefined : v), 2).slice(0, 64 * 1024)}</pre>;
    case 'text':
      return <pre class={`text ${decoded.syntax}`}>{decoded.text.slice(0, 256 * 1024)}</pre>;
    case 'image':
      return (
        <div>
          <p>
            {decoded.label ?? decoded.mime} {decoded.width && decoded.height ? `${decoded.width}×${decoded.height}` : ''}
          </p>
          <pre class="raw">{decoded.preview.dump}</pre>
        </div>
      );
    case 'binary':
      return (
        <div>
          <p>{decoded.label ?? decoded.mime ?? 'binary'} · {bytes(decoded.size)}</p>
          <pre class="raw">{decoded.preview.dump}</pre>
        </div>
      );
  }
}

/** A decoder's error as shown: the decoders' own start with "could not decode" already. */
function couldNotDecode(error: string): string {
  return error.startsWith('could not decode') ? error : `could not decode: ${error}`;
}

export function SseList({ records }: { records: SseRecord[] }) {
  return (
    <ol class="sse" data-testid="sse-records">
      {records.map((r, i) => (
        <li key={i} class={r.kind}>
          {r.kind === 'event' ? (
            <>
              <b>{r.type}</b> {r.lastEventId && <span class="muted">id {r.lastEventId}</span>} {r.retry !== undefined && <span class="muted">retry {r.retry}</span>}
              <pre>{r.data}</pre>
            </>
          ) : r.kind === 'comment' ? (
            <span class="muted">: {r.text}</span>
          ) : r.kind === 'retry' ? (
            <span class="muted">retry: {r.value} ms</span>
          ) : r.kind === 'error' ? (
            <span class="warn">{couldNotDecode(r.error)}</span>
          ) : r.kind === 'ignored' ? (
            <span class="muted">ignored {r.field}: {r.reason}</span>
          ) : (
            <>
              <span class="muted">
                incomplete (no blank line){r.type ? ` · ${r.type}` : ''}{r.line ? `: ${r.line}` : ''}
              </span>
              {r.data !== undefined && <pre>{r.data}</pre>}
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

export function NdjsonList({ records }: { records: NdjsonRecord[] }) {
  return (
    <ol class="ndjson" data-testid="ndjson-records">
      {records.map((r, i) => (
        <li key={i}>
          {r.kind === 'value' ? (
            <JsonTree node={r.value} />
          ) : (
            <span class="warn">
              could not decode line {r.line}: {r.error.replace(/^could not decode: /, '')} — <code>{r.raw.slice(0, 500)}</code>
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
