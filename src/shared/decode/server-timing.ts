/**
 * `Server-Timing` response headers (W3C Server Timing, "The Server-Timing Header Field"): the
 * metrics a server reports about its own work on the response, as the page's
 * `PerformanceResourceTiming.serverTiming` gives them in Chromium, and whether the page sees them
 * at all (a cross-origin response needs a passing Timing-Allow-Origin).
 *
 *   Server-Timing        = #server-timing-metric
 *   server-timing-metric = metric-name *( OWS ";" OWS server-timing-param )
 *   server-timing-param  = server-timing-param-name OWS "=" OWS ( token / quoted-string )
 *
 * Read as Chromium reads it (its header field tokenizer; compared with Chromium itself in
 * test/e2e/server-timing.test.ts), which is stricter than the spec's prose:
 * - All `Server-Timing` headers are one value, joined with ", ": what ends the reading in one
 *   header ends it for the headers after it too.
 * - A token is any character from U+0021 to U+007F but `"`, `;` and the separators
 *   `( ) < > @ , : \ / [ ] ? =` (so `{`, `}` and DEL are token characters, unlike RFC 9110's).
 * - A metric name or a parameter name that is not a token ends the reading: of the value, or of
 *   the metric's parameters (`a;;dur=1` has no dur, and nothing after it is read). Characters
 *   after a metric name or a parameter value, up to the next `;` or `,`, are skipped.
 * - `dur` counts only when its whole value, after leading white space, is a number (`12.5ms` is
 *   0; `.5`, `+3`, `1.` and `1e400` = Infinity are numbers); absent or not a number, it is 0.
 * Every metric is kept, in order, repeated names too; parameter names are case-insensitive and the
 * first of a repeated one counts; `desc` is its value or "".
 * Beyond Chromium, as DevTools' console does, `notes` says what was ignored and where the reading
 * stopped. Untrusted input: one pass, no backtracking, at most MAX_METRICS metrics, MAX_NOTES notes.
 */

export const MAX_METRICS = 200;
const MAX_NOTES = 20;

export interface ServerTimingMetric {
  name: string;
  /** `dur` (milliseconds by the spec's recommendation; the server's to choose); undefined when not given. */
  duration?: number;
  /** `desc`, or "" when not given. */
  description: string;
}

export interface ServerTiming {
  /** In header order, headers in the order received. */
  metrics: ServerTimingMetric[];
  /** One sentence each for what was ignored, at most MAX_NOTES. */
  notes: string[];
  /** More than MAX_METRICS metrics: the rest are left out. */
  truncated: boolean;
}

/** Not token characters in Chromium's header tokenizer, beside controls, space and non-ASCII. */
const SEPARATORS = '"(),/:;<=>?@[\\]';
/** A token character as Chromium's header tokenizer has it (see the module's docstring). */
const isTchar = (c: string) => c > ' ' && c <= '\x7f' && !SEPARATORS.includes(c);
const isOws = (c: string) => c === ' ' || c === '\t';

const NUMBER = /^[\t\n\v\f\r ]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
/** `dur`'s value as a number (a whole-value decimal after leading white space; Infinity past the double range), or undefined. */
export function parseDuration(value: string): number | undefined {
  const m = NUMBER.exec(value);
  return m ? Number(m[1]) : undefined;
}

/**
 * Every metric of the `Server-Timing` header values `values` (one per header as received, or one
 * combined with ", ": the same). Never throws.
 */
export function parseServerTiming(values: readonly string[]): ServerTiming {
  const out: ServerTiming = { metrics: [], notes: [], truncated: false };
  const note = (text: string) => {
    if (out.notes.length < MAX_NOTES && !out.notes.includes(text)) out.notes.push(text);
  };
  // Chromium reads the headers as one value (its header list's combined value).
  if (values.length) parseField(values.join(', '), out, note);
  return out;
}

/** Up to 40 characters of `s` from `from` (to `to`), for a note. */
const excerpt = (s: string, from: number, to = s.length) => (to - from > 40 ? `${s.slice(from, from + 40)}…` : s.slice(from, to));

function parseField(s: string, out: ServerTiming, note: (text: string) => void): void {
  let i = 0;
  const skipOws = () => {
    while (i < s.length && isOws(s[i])) i++;
  };
  const token = () => {
    skipOws();
    const from = i;
    while (i < s.length && isTchar(s[i])) i++;
    return s.slice(from, i);
  };
  /** The character `c` next, after optional whitespace: consumed. */
  const consume = (c: string) => {
    skipOws();
    if (s[i] !== c) return false;
    i++;
    return true;
  };
  /** A quoted-string at `i` (on its opening quote), unescaped; undefined when never closed (read to the end). */
  const quoted = () => {
    let text = '';
    i++;
    while (i < s.length) {
      const c = s[i++];
      if (c === '"') return text;
      if (c === '\\' && i < s.length) text += s[i++];
      else text += c;
    }
    return undefined;
  };
  /** Skips to the next `;` or `,` (quotes are not looked into); says so when anything but whitespace was skipped. */
  const skipStray = () => {
    const from = i;
    while (i < s.length && s[i] !== ';' && s[i] !== ',') i++;
    const stray = excerpt(s, from, i).trim();
    if (stray) note(`Ignored: "${stray}".`);
  };
  const stopped = () => {
    skipOws();
    if (i < s.length) note(`Not read (Chromium stops here too): "${excerpt(s, i)}".`);
  };
  while (i < s.length) {
    const name = token();
    if (!name) return stopped();
    if (out.metrics.length >= MAX_METRICS) {
      out.truncated = true;
      return;
    }
    const metric: ServerTimingMetric = { name, description: '' };
    out.metrics.push(metric);
    skipOws();
    if (s[i] === '=') note(`Deprecated syntax "${name}=…": a metric is <name>;dur=<duration>;desc=<description>.`);
    skipStray();
    const seen = new Set<string>();
    while (consume(';')) {
      const param = token().toLowerCase();
      if (!param) break;
      let value = '';
      if (consume('=')) {
        skipOws();
        if (s[i] === '"') {
          const text = quoted();
          if (text === undefined) note(`A quoted value of "${param}" in "${name}" is not closed: read as "".`);
          else value = text;
        } else value = token();
        skipStray();
      }
      if (seen.has(param)) {
        note(`"${param}" given twice in "${name}": the first one counts.`);
        continue;
      }
      seen.add(param);
      if (param === 'dur') {
        const duration = parseDuration(value);
        if (duration === undefined) note(`"dur" of "${name}" is not a number (${JSON.stringify(value.slice(0, 40))}): read as 0.`);
        metric.duration = duration ?? 0;
      } else if (param === 'desc') metric.description = value;
      else note(`Unknown parameter "${param}" in "${name}" ignored (only dur and desc are defined).`);
    }
    if (!consume(',')) return stopped();
  }
}

/**
 * Whether the page's Resource Timing entry for this response shows its Server-Timing metrics
 * (Fetch "TAO check"; Server Timing's Privacy section): same-origin responses always; cross-origin
 * ones when a `Timing-Allow-Origin` value is `*` or the page's origin exactly. `tao`: the header's
 * values (one per header, or one combined with ", "). Undefined when either origin is unknown.
 * Does not follow a redirect chain (each hop of a cross-origin redirect must pass too).
 */
export function timingAllowed(documentOrigin: string | undefined, responseOrigin: string | undefined, tao: readonly string[]): { allowed: boolean; why: string } | undefined {
  if (!documentOrigin || !responseOrigin) return undefined;
  if (documentOrigin === responseOrigin) return { allowed: true, why: 'same origin' };
  const listed = tao.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (listed.includes('*')) return { allowed: true, why: 'Timing-Allow-Origin: *' };
  if (listed.includes(documentOrigin)) return { allowed: true, why: `Timing-Allow-Origin lists ${documentOrigin}` };
  return {
    allowed: false,
    why: listed.length ? `cross-origin, and Timing-Allow-Origin (${listed.join(', ').slice(0, 200)}) does not list ${documentOrigin}` : 'cross-origin, without Timing-Allow-Origin',
  };
}
