// The least an in-page recorder can do and still record what a netlens row shows: the request
// (method, URL, headers, the body as the page gave it), the response (status, headers, body),
// upload progress, and each WebSocket and EventSource message with its time. No defence against
// the page (plain assignments, the page's own prototypes), no stack, nothing sent anywhere: the
// log stays in the page. The capture bench's mode `floor`: about what no page-level capture costs
// less than, on the workloads no peer records (WebSocket, EventSource, uploads). Not for a fetch
// body: read here from a clone (a tee of the stream), as recorders do, where netlens reads the
// chunks the page itself reads, which costs less.
(() => {
  const log = [];
  window.__peerLog = log;
  const now = () => performance.now();

  const XP = XMLHttpRequest.prototype;
  const { open, send, setRequestHeader } = XP;
  const xhrs = new WeakMap();
  XP.open = function (method, url) {
    xhrs.set(this, { method, url: String(url), headers: [], t: now() });
    return open.apply(this, arguments);
  };
  XP.setRequestHeader = function (name, value) {
    xhrs.get(this)?.headers.push(name, value);
    return setRequestHeader.apply(this, arguments);
  };
  XP.send = function (body) {
    const rec = xhrs.get(this);
    if (rec) {
      rec.body = body;
      log.push(rec);
      this.addEventListener('loadend', () => {
        rec.status = this.status;
        rec.responseHeaders = this.getAllResponseHeaders();
        rec.response = this.responseType === '' || this.responseType === 'text' ? this.responseText : this.response;
        rec.end = now();
      });
    }
    const result = send.apply(this, arguments);
    // After send(): a listener on upload before it would preflight a cross-origin request.
    if (rec && body !== undefined && body !== null) this.upload.addEventListener('progress', (e) => void (rec.sent = e.loaded));
    return result;
  };

  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const rec = { url: typeof input === 'string' ? input : String(input.url ?? input), method: init?.method ?? 'GET', body: init?.body, t: now() };
    log.push(rec);
    return nativeFetch.apply(this, arguments).then((response) => {
      rec.status = response.status;
      rec.responseHeaders = [...response.headers];
      // The body as the page reads it: a clone (a tee of the stream), read to its end.
      response
        .clone()
        .arrayBuffer()
        .then((b) => {
          rec.response = b;
          rec.end = now();
        }, () => {});
      return response;
    });
  };

  const channels = new WeakMap();
  const watch = (name, read) => {
    const Native = window[name];
    window[name] = new Proxy(Native, {
      construct(target, args, newTarget) {
        const instance = Reflect.construct(target, args, newTarget);
        const rec = { url: String(args[0]), messages: [] };
        log.push(rec);
        channels.set(instance, rec);
        instance.addEventListener('message', (e) => void rec.messages.push(now(), ...read(e)));
        return instance;
      },
    });
  };
  watch('WebSocket', (e) => [e.data]);
  watch('EventSource', (e) => [e.data, e.lastEventId]);
  const wsSend = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    channels.get(this)?.messages.push(now(), data);
    return wsSend.apply(this, arguments);
  };
})();
