/**
 * Streamed LLM responses: the text a model streamed, assembled from its SSE or NDJSON events,
 * with the time to the first and the last text delta. Shapes recognized (per event, so a stream
 * that mixes them still assembles):
 * - OpenAI Chat Completions (and the many APIs that copy it: Mistral, Groq, OpenRouter, vLLM,
 *   llama.cpp): `data: {"choices":[{"delta":{"content":"…"}}]}`, legacy completions
 *   `choices[0].text`, ended by `data: [DONE]`;
 * - OpenAI Responses: `event: response.output_text.delta` with `{"delta":"…"}`, ended by
 *   `response.completed`;
 * - Anthropic Messages: `content_block_delta` with `delta.type` `text_delta` (`delta.text`),
 *   ended by `message_stop`; the model from `message_start`;
 * - Google Gemini (`alt=sse`): `candidates[0].content.parts[].text`, ended by a `finishReason`;
 * - Ollama (NDJSON): `message.content` (chat) or `response` (generate), ended by `done: true`;
 * - Cohere v2: `content-delta` with `delta.message.content.text`.
 * Tool (function) calls are assembled beside the text: Chat Completions' `delta.tool_calls` by
 * index, Anthropic's `tool_use` blocks and their `input_json_delta`, Responses' `function_call`
 * items and their `function_call_arguments.delta`, Gemini's `functionCall` parts and Ollama's
 * `message.tool_calls` (whole). The model's reasoning, apart (see LlmStream.thinking). The
 * token counts the API reports (see usageOf). Other events
 * (role, pings) are counted, not shown. Of several outputs
 * (`n` > 1, `candidateCount` > 1) the first alone (index 0); Gemini's thought summaries are left
 * out of the text. An error the API streams (Anthropic's and OpenAI Responses' `error` event,
 * Chat Completions' `{error: {message, type}}`) is a view even when it comes first or alone.
 */
import { createNdjsonParser, createSseParser, feedPieces, jsonToPlain, type NdjsonRecord, type SseRecord } from './decode';
import { headerValue } from './headers';
import { exchangeOver, type Entry } from './model';
import { payloadRaw } from './payload';

export type LlmProvider = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ollama' | 'cohere';

export interface LlmStream {
  /** The shape of the first event that carried text. */
  provider: LlmProvider;
  model?: string;
  /** The assembled text (capped at MAX_TEXT characters; `cut` says so). */
  text: string;
  cut: boolean;
  /** Events read, and how many carried text. */
  events: number;
  deltas: number;
  /** Epoch ms of the chunks that carried the first and the last text delta (absent for a body read whole). */
  firstDeltaAt?: number;
  lastDeltaAt?: number;
  /** The stream said it was finished ([DONE], message_stop, response.completed, done: true). */
  done: boolean;
  /** Why the model stopped, when an event says (finish_reason, stop_reason, status…). */
  finishReason?: string;
  /** An error event the API sent in the stream. */
  error?: string;
  /**
   * Chunks of the body not kept (past the capture's per-entry or stream cap, or cut at it): the
   * stream's end, its `[DONE]` too, may be among them, so `done: false` says nothing then.
   */
  lostChunks?: boolean;
  /**
   * The tool (function) calls the model streamed, in the order they began, their arguments as
   * the text the model wrote (JSON, usually; a whole object sent at once is written as JSON).
   * At most MAX_TOOL_CALLS, their arguments within MAX_TEXT characters in all (`cut` says so).
   */
  toolCalls?: LlmToolCall[];
  /** The tokens the API says the request used (the prompt's, the output's), as its last word on them. */
  usage?: LlmUsage;
  /**
   * What the model streamed as its reasoning, apart from the answer (Anthropic's thinking,
   * Responses' reasoning summary, Gemini's thought summaries, `reasoning_content` of the
   * Chat Completions copies that have it, Ollama's `thinking`); within MAX_TEXT (`cut`).
   */
  thinking?: string;
}

export interface LlmUsage {
  inputTokens?: number;
  outputTokens?: number;
}

export interface LlmToolCall {
  name?: string;
  arguments: string;
}

/**
 * A piece of a tool call in one event: `key` names the call it continues (a choice's
 * `tool_calls[].index`, an Anthropic content block's or a Responses output item's index);
 * without one, a call of its own (Gemini's and Ollama's come whole).
 */
interface ToolPiece {
  key?: string;
  name?: string;
  args?: string;
}

export const MAX_TOOL_CALLS = 100;

/** One decoded event: its SSE name (when SSE), its JSON (undefined when not JSON), its raw data, the time of its chunk. */
export interface LlmEvent {
  event?: string;
  data: string;
  json?: unknown;
  t?: number;
}

export const MAX_TEXT = 1024 * 1024;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/**
 * The first of several outputs (`choices` of a request with `n` > 1, Gemini's `candidates` of a
 * `candidateCount` > 1: each chunk carries one of them, by its `index`): the one of index 0, or
 * without an index; undefined when the chunk carries only others.
 */
const firstOutput = (v: unknown): Obj | undefined => {
  if (!Array.isArray(v)) return undefined;
  for (const item of v) {
    const o = obj(item);
    if (o && (o.index === undefined || o.index === 0)) return o;
  }
  return undefined;
};

/**
 * `more` put after `to`, of which at most `room` characters: the result, and whether any of
 * `more` was left out.
 */
function appendWithin(to: string, more: string, room: number): [string, boolean] {
  return more.length > room ? [to + more.slice(0, Math.max(0, room)), true] : [to + more, false];
}

const json = (v: unknown): string | undefined => {
  try {
    return v === undefined ? undefined : JSON.stringify(v);
  } catch {
    return undefined;
  }
};
const indexKey = (prefix: string, index: unknown) => (typeof index === 'number' ? `${prefix}${index}` : undefined);

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

/**
 * The token counts an event carries, by vendor: Chat Completions' `usage` (the last chunk, with
 * `stream_options.include_usage`), Anthropic's `message.usage` (message_start) and `usage`
 * (message_delta), Responses' `response.usage`, Gemini's `usageMetadata`, Ollama's
 * `prompt_eval_count`/`eval_count`, Cohere's `delta.usage.tokens`.
 */
function usageOf(j: Obj): LlmUsage | undefined {
  const u = obj(j.usage) ?? obj(obj(j.message)?.usage) ?? obj(obj(j.response)?.usage) ?? obj(obj(obj(j.delta)?.usage)?.tokens);
  const g = obj(j.usageMetadata);
  const inputTokens = count(u?.prompt_tokens) ?? count(u?.input_tokens) ?? count(g?.promptTokenCount) ?? count(j.prompt_eval_count);
  const outputTokens = count(u?.completion_tokens) ?? count(u?.output_tokens) ?? count(g?.candidatesTokenCount) ?? count(j.eval_count);
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const out: LlmUsage = {};
  if (inputTokens !== undefined) out.inputTokens = inputTokens;
  if (outputTokens !== undefined) out.outputTokens = outputTokens;
  return out;
}

/** What one event says (all optional): its text delta, reasoning, tool pieces, tokens and the facts around them. */
interface EventFacts {
  provider?: LlmProvider;
  text?: string;
  thinking?: string;
  model?: string;
  done?: boolean;
  finish?: string;
  error?: string;
  tools?: ToolPiece[];
  usage?: LlmUsage;
}

/** What one event says: its shape's facts (readShape), with the tokens any shape may carry. */
function read(ev: LlmEvent): EventFacts {
  const r = readShape(ev);
  const j = obj(ev.json);
  const usage = j && usageOf(j);
  if (usage) r.usage = usage;
  return r;
}

/**
 * Whose error event this is, when its shape says: Anthropic's `{type: "error", error: {type,
 * message}}`, OpenAI Responses' `{type: "error", code, message}`, Chat Completions' (and its
 * copies') `{error: {message, type}}`. Such an error, first or alone, is a view of its own;
 * another stream's error event names no provider (it shows nothing on its own).
 */
function errorProvider(j: Obj, type: string | undefined, e: Obj | undefined): LlmProvider | undefined {
  if (type === 'error' && e && str(e.type) !== undefined && str(e.message) !== undefined) return 'anthropic';
  if (type === 'error' && !e) return str(j.message) !== undefined && 'code' in j ? 'openai-responses' : undefined;
  return j.type === undefined && e && str(e.message) !== undefined && ('type' in e || 'code' in e) ? 'openai-chat' : undefined;
}

/** What one event says by its shape: its text delta and the facts around it. */
function readShape(ev: LlmEvent): EventFacts {
  if (ev.data.trim() === '[DONE]') return { done: true };
  const j = obj(ev.json);
  if (!j) return {};
  const type = str(j.type) ?? ev.event;
  // Anthropic Messages
  if (type === 'content_block_delta') {
    const d = obj(j.delta);
    if (d?.type === 'input_json_delta') return { provider: 'anthropic', tools: [{ key: indexKey('a', j.index), args: str(d.partial_json) }] };
    if (d?.type === 'thinking_delta') return { provider: 'anthropic', thinking: str(d.thinking) };
    return { provider: 'anthropic', text: d && d.type === 'text_delta' ? str(d.text) : undefined };
  }
  if (type === 'content_block_start') {
    const block = obj(j.content_block);
    return block?.type === 'tool_use' ? { provider: 'anthropic', tools: [{ key: indexKey('a', j.index), name: str(block.name) }] } : { provider: 'anthropic' };
  }
  if (type === 'message_start') return { provider: 'anthropic', model: str(obj(j.message)?.model) };
  if (type === 'message_delta') return { provider: 'anthropic', finish: str(obj(j.delta)?.stop_reason) };
  if (type === 'message_stop') return { provider: 'anthropic', done: true };
  // OpenAI Responses
  if (type === 'response.output_text.delta') return { provider: 'openai-responses', text: str(j.delta) };
  if (type === 'response.reasoning_summary_text.delta') return { provider: 'openai-responses', thinking: str(j.delta) };
  if (type === 'response.output_item.added') {
    const item = obj(j.item);
    return item?.type === 'function_call' ? { provider: 'openai-responses', tools: [{ key: indexKey('r', j.output_index), name: str(item.name), args: str(item.arguments) || undefined }] } : { provider: 'openai-responses' };
  }
  if (type === 'response.function_call_arguments.delta') return { provider: 'openai-responses', tools: [{ key: indexKey('r', j.output_index), args: str(j.delta) }] };
  if (type === 'response.created' || type === 'response.in_progress') return { provider: 'openai-responses', model: str(obj(j.response)?.model) };
  if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
    const r = obj(j.response);
    return { provider: 'openai-responses', done: true, finish: str(r?.status), error: str(obj(r?.error)?.message) };
  }
  // Cohere v2
  if (type === 'content-delta') return { provider: 'cohere', text: str(obj(obj(obj(j.delta)?.message)?.content)?.text) };
  if (type === 'message-end') return { provider: 'cohere', done: true, finish: str(obj(j.delta)?.finish_reason) };
  if (type === 'error' || j.error !== undefined) {
    const e = obj(j.error);
    return { provider: errorProvider(j, type, e), error: str(j.error) ?? str(e?.message) ?? str(j.message) ?? 'error event' };
  }
  // OpenAI Chat Completions and its copies (a chunk of another choice than the first: no text)
  if (Array.isArray(j.choices) && j.choices.length) {
    const choice = firstOutput(j.choices);
    if (!choice) return { provider: 'openai-chat', model: str(j.model) };
    const delta = obj(choice.delta);
    const text = delta ? str(delta.content) : str(choice.text);
    // DeepSeek, vLLM and others: `reasoning_content`; OpenRouter: `reasoning`.
    const thinking = str(delta?.reasoning_content) ?? str(delta?.reasoning);
    const calls = Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
    const tools = calls.map((c): ToolPiece => {
      const f = obj(obj(c)?.function);
      return { key: indexKey('c', obj(c)?.index) ?? str(obj(c)?.id), name: str(f?.name), args: str(f?.arguments) };
    });
    return { provider: 'openai-chat', text, thinking, model: str(j.model), finish: str(choice.finish_reason), tools };
  }
  // Gemini: thought summaries (`thought: true`, with includeThoughts) are no part of the answer;
  // no end marker, but a finishReason comes with the last chunk only.
  if (Array.isArray(j.candidates) && j.candidates.length) {
    const candidate = firstOutput(j.candidates);
    if (!candidate) return { provider: 'gemini', model: str(j.modelVersion) };
    const finish = str(candidate.finishReason);
    const facts: EventFacts = { provider: 'gemini', model: str(j.modelVersion), finish, done: finish !== undefined };
    const parts = obj(candidate.content)?.parts;
    if (!Array.isArray(parts)) return facts;
    facts.text = facts.thinking = '';
    facts.tools = [];
    for (const item of parts) {
      const part = obj(item);
      const call = obj(part?.functionCall);
      if (call) facts.tools.push({ name: str(call.name), args: json(call.args) ?? '' });
      if (part?.thought === true) facts.thinking += str(part.text) ?? '';
      else facts.text += str(part?.text) ?? '';
    }
    return facts;
  }
  // Ollama
  if (typeof j.done === 'boolean' && (obj(j.message) || typeof j.response === 'string')) {
    const calls = obj(j.message)?.tool_calls;
    const tools = (Array.isArray(calls) ? calls : []).map((c): ToolPiece => {
      const f = obj(obj(c)?.function);
      return { name: str(f?.name), args: typeof f?.arguments === 'string' ? f.arguments : (json(f?.arguments) ?? '') };
    });
    return { provider: 'ollama', text: str(obj(j.message)?.content) ?? str(j.response), thinking: str(obj(j.message)?.thinking) ?? str(j.thinking), model: str(j.model), done: j.done, finish: str(j.done_reason), tools };
  }
  return {};
}

/**
 * Assembles events in order. Returns undefined until an event carrying text (or a recognized
 * shape) is seen: a stream that is not an LLM's shows nothing.
 */
export function createLlmAssembler() {
  let out: LlmStream | undefined;
  let events = 0;
  let pendingModel: string | undefined;
  /** The calls by key (see ToolPiece), and the arguments' characters kept in all. */
  const calls = new Map<string, LlmToolCall>();
  let argChars = 0;
  const takeTool = (stream: LlmStream, piece: ToolPiece) => {
    let call = piece.key !== undefined ? calls.get(piece.key) : undefined;
    if (!call) {
      const list = (stream.toolCalls ??= []);
      if (list.length >= MAX_TOOL_CALLS) {
        stream.cut = true;
        return;
      }
      call = { arguments: '' };
      list.push(call);
      if (piece.key !== undefined) calls.set(piece.key, call);
    }
    if (piece.name !== undefined) call.name ??= piece.name;
    if (!piece.args) return;
    const before = call.arguments.length;
    const [args, cut] = appendWithin(call.arguments, piece.args, MAX_TEXT - argChars);
    call.arguments = args;
    argChars += args.length - before;
    if (cut) stream.cut = true;
  };
  return {
    feed(ev: LlmEvent): void {
      events++;
      const r = read(ev);
      if (r.model) pendingModel ??= r.model;
      if (!out) {
        if (!r.provider) return;
        out = { provider: r.provider, text: '', cut: false, events: 0, deltas: 0, done: false };
      }
      out.events = events;
      if (pendingModel) out.model ??= pendingModel;
      if (r.text) {
        out.deltas++;
        if (ev.t !== undefined) {
          out.firstDeltaAt ??= ev.t;
          out.lastDeltaAt = ev.t;
        }
        const [text, cut] = appendWithin(out.text, r.text, MAX_TEXT - out.text.length);
        out.text = text;
        if (cut) out.cut = true;
      }
      if (r.tools) for (const piece of r.tools) takeTool(out, piece);
      if (r.usage) out.usage = { ...out.usage, ...r.usage };
      if (r.thinking) {
        const was = out.thinking ?? '';
        const [thinking, cut] = appendWithin(was, r.thinking, MAX_TEXT - was.length);
        out.thinking = thinking;
        if (cut) out.cut = true;
      }
      if (r.done) out.done = true;
      if (r.finish) out.finishReason = r.finish;
      if (r.error) out.error = r.error;
    },
    result: (): LlmStream | undefined => (out ? { ...out, events, ...(out.toolCalls ? { toolCalls: out.toolCalls.map((c) => ({ ...c })) } : {}), ...(out.usage ? { usage: { ...out.usage } } : {}) } : undefined),
  };
}

const parseJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

/** Assembles a whole list of events at once (tests, imported traces). */
export function assembleLlmStream(events: LlmEvent[]): LlmStream | undefined {
  const a = createLlmAssembler();
  for (const ev of events) a.feed(ev);
  return a.result();
}

interface ReaderState {
  fed: number;
  bodyRead: boolean;
  ended: boolean;
  kind: 'sse' | 'ndjson';
  sse?: ReturnType<typeof createSseParser>;
  ndjson?: ReturnType<typeof createNdjsonParser>;
  asm: ReturnType<typeof createLlmAssembler>;
}

/**
 * A streamed fetch/XHR response read as an LLM stream, incrementally: each call feeds only the
 * chunks (`entry.messages`) that arrived since the last call, each event timed by its chunk.
 * Without chunks, the whole response body is read once (no delta times). Undefined when the
 * response is not SSE/NDJSON or carries no recognized LLM event.
 */
export function createLlmStreamReader() {
  const states = new WeakMap<Entry, ReaderState>();
  return function llmStreamOf(entry: Entry): LlmStream | undefined {
    if (entry.kind !== 'fetch' && entry.kind !== 'xhr') return undefined;
    let state = states.get(entry);
    if (!state) {
      const type = (headerValue(entry.response?.headers, 'content-type') ?? entry.messages[0]?.data.mimeType ?? entry.response?.body?.mimeType ?? '').toLowerCase();
      const kind = type.includes('event-stream') ? 'sse' : /ndjson|jsonl|json-lines|jsonlines|stream\+json/.test(type) ? 'ndjson' : undefined;
      if (!kind) return undefined;
      state = { fed: 0, bodyRead: false, ended: false, kind, asm: createLlmAssembler() };
      if (kind === 'sse') state.sse = createSseParser();
      else state.ndjson = createNdjsonParser();
      states.set(entry, state);
    }
    const s = state;
    const take = (records: SseRecord[] | NdjsonRecord[], t: number | undefined) => {
      for (const r of records) {
        if (r.kind === 'event') s.asm.feed({ event: r.type, data: r.data, json: parseJson(r.data), t });
        else if (r.kind === 'value') s.asm.feed({ data: '', json: jsonToPlain(r.value), t });
      }
    };
    // In pieces: a large body or chunk fed at once returns all its records at once (8 million for 16 MiB of `:` lines).
    const feed = (raw: string | Uint8Array, t: number | undefined) => {
      for (const piece of feedPieces(raw)) take((s.sse ?? s.ndjson)!.feed(piece), t);
    };
    const finished = exchangeOver(entry);
    for (; s.fed < entry.messages.length; s.fed++) {
      const m = entry.messages[s.fed];
      const raw = m.dir === 'receive' ? payloadRaw(m.data) : undefined;
      if (raw !== undefined) feed(raw, m.t);
    }
    if (s.fed === 0 && !s.bodyRead && finished) {
      s.bodyRead = true;
      const raw = payloadRaw(entry.response?.body);
      if (raw !== undefined) feed(raw, undefined);
    }
    // The last NDJSON line may have no newline: read it once the response is over.
    if (finished && !s.ended) {
      s.ended = true;
      take((s.sse ?? s.ndjson)!.end(), entry.messages.at(-1)?.t);
    }
    const out = s.asm.result();
    if (out && (entry.droppedMessages > 0 || entry.messages.some((m) => m.data.truncated))) out.lostChunks = true;
    return out;
  };
}
