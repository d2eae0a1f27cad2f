import { describe, expect, it } from 'vitest';
import { createLlmStreamReader, MAX_TEXT } from '../../src/shared/llm-stream';
import type { Entry } from '../../src/shared/model';
import { T0, makeEntry, msg, text } from './har/helpers';

/** A streamed fetch whose body arrived as these chunks, 10 ms apart from T0 + 100. */
function streamed(contentType: string, chunks: string[], over: Partial<Entry> = {}): Entry {
  return makeEntry({
    startTime: T0,
    state: 'done',
    response: { status: 200, statusText: 'OK', headers: [['Content-Type', contentType]] },
    messages: chunks.map((c, i) => msg(T0 + 100 + i * 10, 'receive', text(c))),
    ...over,
  });
}

const sse = (events: [string | undefined, unknown][]) => events.map(([name, data]) => `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

describe('LLM stream assembly', () => {
  it('OpenAI Chat Completions: choices[0].delta.content, [DONE], split across chunk boundaries', () => {
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
    const body = sse([
      [undefined, { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }],
      [undefined, { ...base, choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] }],
      [undefined, { ...base, choices: [{ index: 0, delta: { content: 'lo, ' }, finish_reason: null }] }],
      [undefined, { ...base, choices: [{ index: 0, delta: { content: 'wörld 🎉' }, finish_reason: null }] }],
      [undefined, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }],
      [undefined, '[DONE]'],
    ]).join('');
    // Cut the text at arbitrary points, inside events and inside the emoji's UTF-16 pair.
    const cuts = [17, 150, 151, 400, body.indexOf('🎉') + 1];
    const chunks: string[] = [];
    let at = 0;
    for (const c of [...cuts, body.length]) {
      chunks.push(body.slice(at, c));
      at = c;
    }
    const read = createLlmStreamReader();
    const got = read(streamed('text/event-stream; charset=utf-8', chunks))!;
    expect(got).toMatchObject({ provider: 'openai-chat', model: 'gpt-4o-mini', text: 'Hello, wörld 🎉', deltas: 3, events: 6, done: true, finishReason: 'stop' });
    expect(got.firstDeltaAt).toBeGreaterThan(T0);
    expect(got.lastDeltaAt).toBeGreaterThan(got.firstDeltaAt!);
  });

  it('times the first and last delta by the chunks that carried them, and reads new chunks incrementally', () => {
    const chunk = (c: string) => sse([[undefined, { choices: [{ delta: { content: c } }] }]])[0];
    const entry = streamed('text/event-stream', [': keep-alive\n\n', chunk('a'), chunk('b')], { state: 'pending' });
    const read = createLlmStreamReader();
    expect(read(entry)).toMatchObject({ text: 'ab', firstDeltaAt: T0 + 110, lastDeltaAt: T0 + 120, done: false });
    entry.messages.push(msg(T0 + 500, 'receive', text(chunk('c'))));
    expect(read(entry)).toMatchObject({ text: 'abc', firstDeltaAt: T0 + 110, lastDeltaAt: T0 + 500 });
  });

  it('OpenAI Responses: response.output_text.delta, response.completed', () => {
    const got = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', model: 'gpt-4.1', status: 'in_progress' } }],
          ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: { type: 'message', role: 'assistant', content: [] } }],
          ['response.output_text.delta', { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Two ' }],
          ['response.output_text.delta', { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'parts.' }],
          ['response.output_text.done', { type: 'response.output_text.done', text: 'Two parts.' }],
          ['response.completed', { type: 'response.completed', response: { id: 'resp_1', model: 'gpt-4.1', status: 'completed' } }],
        ]),
      ),
    );
    expect(got).toMatchObject({ provider: 'openai-responses', model: 'gpt-4.1', text: 'Two parts.', deltas: 2, done: true, finishReason: 'completed' });
  });

  it('Anthropic Messages: content_block_delta text_delta (not input_json_delta), message_stop', () => {
    const got = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [] } }],
          ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
          ['ping', { type: 'ping' }],
          ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Bonjour' } }],
          ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' <script>alert(1)</script>' } }],
          ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } }],
          ['content_block_stop', { type: 'content_block_stop', index: 0 }],
          ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }],
          ['message_stop', { type: 'message_stop' }],
        ]),
      ),
    );
    expect(got).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-5', text: 'Bonjour <script>alert(1)</script>', deltas: 2, done: true, finishReason: 'end_turn' });
  });

  it('Gemini (alt=sse) candidates parts, and an API error event', () => {
    const gemini = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          [undefined, { candidates: [{ content: { parts: [{ text: 'Ciao' }], role: 'model' } }], modelVersion: 'gemini-2.0-flash' }],
          [undefined, { candidates: [{ content: { parts: [{ text: ' mondo' }], role: 'model' }, finishReason: 'STOP' }], modelVersion: 'gemini-2.0-flash' }],
        ]),
      ),
    );
    expect(gemini).toMatchObject({ provider: 'gemini', text: 'Ciao mondo', model: 'gemini-2.0-flash', finishReason: 'STOP' });
    const failed = createLlmStreamReader()(
      streamed('text/event-stream', sse([[undefined, { choices: [{ delta: { content: 'x' } }] }], ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]])),
    );
    expect(failed).toMatchObject({ text: 'x', error: 'Overloaded' });
  });

  it('an error the API streams: its message wherever the vendor puts it; first or alone, still a view; another stream\'s error event alone, none', () => {
    const read = (events: [string | undefined, unknown][]) => createLlmStreamReader()(streamed('text/event-stream', sse(events)));
    // OpenAI Responses' error event: code and message at the top.
    expect(read([['response.output_text.delta', { type: 'response.output_text.delta', delta: 'Hi' }], ['error', { type: 'error', code: 'ERR_SOMETHING', message: 'Something went wrong', param: null, sequence_number: 2 }]])).toMatchObject({ text: 'Hi', error: 'Something went wrong' });
    // An error before any text, and then the end of the stream.
    expect(read([[undefined, { error: { message: 'The server had an error', type: 'server_error' } }]])).toMatchObject({ provider: 'openai-chat', text: '', error: 'The server had an error', done: false });
    expect(read([['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]])).toMatchObject({ provider: 'anthropic', error: 'Overloaded' });
    expect(read([['error', { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down' }]])).toMatchObject({ provider: 'openai-responses', error: 'Slow down' });
    // A chat app's own error event is no LLM's.
    expect(read([['error', { type: 'error', reason: 'room closed' }]])).toBeUndefined();
    expect(read([[undefined, { error: 'nope' }]])).toBeUndefined();
  });

  it('OpenAI Chat Completions with n > 1: the first choice alone (each chunk carries one choice, by index)', () => {
    const chunk = (index: number, content: string) => ({ model: 'gpt-4o', choices: [{ index, delta: { content }, finish_reason: null }] });
    const got = createLlmStreamReader()(streamed('text/event-stream', sse([[undefined, chunk(0, 'Red')], [undefined, chunk(1, 'Blue')], [undefined, chunk(0, ' apple')], [undefined, chunk(1, ' sky')], [undefined, '[DONE]']])));
    expect(got).toMatchObject({ provider: 'openai-chat', text: 'Red apple', deltas: 2, done: true });
  });

  it('Gemini: thought summaries are no part of the answer; the finishReason of the last chunk ends it', () => {
    const got = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          [undefined, { candidates: [{ content: { parts: [{ text: '**Planning** I should greet.', thought: true }], role: 'model' } }] }],
          [undefined, { candidates: [{ content: { parts: [{ text: 'Hello!' }], role: 'model' }, finishReason: 'STOP' }] }],
        ]),
      ),
    );
    expect(got).toMatchObject({ provider: 'gemini', text: 'Hello!', done: true, finishReason: 'STOP' });
  });

  it('says when chunks were not kept (the capture\'s cap): a missing [DONE] then says nothing about the end', () => {
    const chunks = sse([[undefined, { choices: [{ index: 0, delta: { content: 'Hi' } }] }]]);
    const cut = createLlmStreamReader()(streamed('text/event-stream', chunks, { droppedMessages: 3 }));
    expect(cut).toMatchObject({ text: 'Hi', done: false, lostChunks: true });
    const whole = createLlmStreamReader()(streamed('text/event-stream', [...chunks, 'data: [DONE]\n\n']));
    expect(whole?.lostChunks).toBeUndefined();
  });

  it('assembles tool calls beside the text: Chat Completions by index (two interleaved), Anthropic tool_use, Responses function_call, Gemini and Ollama whole', () => {
    const chat = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          [undefined, { choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] } }] }],
          [undefined, { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz"' } }] } }] }],
          [undefined, { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } }] }],
          [undefined, { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] } }] }],
          [undefined, { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: ':"UTC"}' } }] } }] }],
          [undefined, { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }],
          [undefined, '[DONE]'],
        ]),
      ),
    );
    expect(chat).toMatchObject({ provider: 'openai-chat', text: '', deltas: 0, done: true, finishReason: 'tool_calls', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }, { name: 'get_time', arguments: '{"tz":"UTC"}' }] });
    const anthropic = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          ['message_start', { type: 'message_start', message: { model: 'claude-x' } }],
          ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
          ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } }],
          ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }],
          ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } }],
          ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ris"}' } }],
          ['message_stop', { type: 'message_stop' }],
        ]),
      ),
    );
    expect(anthropic).toMatchObject({ text: 'Checking.', done: true, toolCalls: [{ name: 'get_weather', arguments: '{"city": "Paris"}' }] });
    const responses = createLlmStreamReader()(
      streamed(
        'text/event-stream',
        sse([
          ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', name: 'lookup', call_id: 'c1', arguments: '' } }],
          ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{"q":' }],
          ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '"x"}' }],
          ['response.completed', { type: 'response.completed', response: { status: 'completed' } }],
        ]),
      ),
    );
    expect(responses).toMatchObject({ provider: 'openai-responses', done: true, toolCalls: [{ name: 'lookup', arguments: '{"q":"x"}' }] });
    const gemini = createLlmStreamReader()(streamed('text/event-stream', sse([[undefined, { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP' }] }]])));
    expect(gemini?.toolCalls).toEqual([{ name: 'f', arguments: '{"a":1}' }]);
    const ollama = createLlmStreamReader()(streamed('application/x-ndjson', [`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'g', arguments: { b: 'c' } } }] }, done: true })}\n`]));
    expect(ollama?.toolCalls).toEqual([{ name: 'g', arguments: '{"b":"c"}' }]);
    // No tool call: no list.
    expect(createLlmStreamReader()(streamed('text/event-stream', sse([[undefined, { choices: [{ index: 0, delta: { content: 'x' } }] }]])))?.toolCalls).toBeUndefined();
  });

  it('keeps the model\'s reasoning apart from the answer, for each vendor that streams it', () => {
    const read = (type: string, chunks: string[]) => createLlmStreamReader()(streamed(type, chunks));
    const anthropic = read(
      'text/event-stream',
      sse([
        ['message_start', { type: 'message_start', message: { model: 'm' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '42' } }],
      ]),
    );
    expect(anthropic).toMatchObject({ text: '42', thinking: 'Let me think.' });
    expect(read('text/event-stream', sse([['response.reasoning_summary_text.delta', { type: 'response.reasoning_summary_text.delta', delta: 'Plan.' }], ['response.output_text.delta', { type: 'response.output_text.delta', delta: 'Hi' }]]))).toMatchObject({ text: 'Hi', thinking: 'Plan.' });
    expect(read('text/event-stream', sse([[undefined, { choices: [{ index: 0, delta: { reasoning_content: 'Hmm.' } }] }], [undefined, { choices: [{ index: 0, delta: { content: 'Yes' } }] }]]))).toMatchObject({ text: 'Yes', thinking: 'Hmm.' });
    expect(read('text/event-stream', sse([[undefined, { candidates: [{ content: { parts: [{ text: 'Plan', thought: true }, { text: 'Hello' }] } }] }]]))).toMatchObject({ text: 'Hello', thinking: 'Plan' });
    expect(read('application/x-ndjson', [`${JSON.stringify({ message: { content: '', thinking: 'ok so' }, done: false })}\n${JSON.stringify({ message: { content: 'Sure' }, done: true })}\n`])).toMatchObject({ text: 'Sure', thinking: 'ok so' });
    expect(read('text/event-stream', sse([[undefined, { choices: [{ index: 0, delta: { content: 'x' } }] }]]))?.thinking).toBeUndefined();
  });

  it('keeps the token counts each vendor reports, its last word on them', () => {
    const read = (type: string, chunks: string[]) => createLlmStreamReader()(streamed(type, chunks))?.usage;
    // Chat Completions: the last chunk, with no choices (stream_options.include_usage).
    expect(read('text/event-stream', sse([[undefined, { choices: [{ index: 0, delta: { content: 'x' } }] }], [undefined, { choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }], [undefined, '[DONE]']]))).toEqual({ inputTokens: 12, outputTokens: 3 });
    // Anthropic: the input in message_start, the output's running count in message_delta.
    expect(
      read(
        'text/event-stream',
        sse([
          ['message_start', { type: 'message_start', message: { model: 'm', usage: { input_tokens: 25, output_tokens: 1 } } }],
          ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }],
          ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 15 } }],
        ]),
      ),
    ).toEqual({ inputTokens: 25, outputTokens: 15 });
    expect(read('text/event-stream', sse([['response.output_text.delta', { type: 'response.output_text.delta', delta: 'x' }], ['response.completed', { type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 7, output_tokens: 2 } } }]]))).toEqual({ inputTokens: 7, outputTokens: 2 });
    expect(read('text/event-stream', sse([[undefined, { candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 1, totalTokenCount: 5 } }]]))).toEqual({ inputTokens: 4, outputTokens: 1 });
    expect(read('application/x-ndjson', [`${JSON.stringify({ message: { content: 'x' }, done: false })}\n${JSON.stringify({ message: { content: '' }, done: true, prompt_eval_count: 9, eval_count: 6 })}\n`])).toEqual({ inputTokens: 9, outputTokens: 6 });
    expect(read('text/event-stream', sse([[undefined, { choices: [{ index: 0, delta: { content: 'x' } }] }]]))).toBeUndefined();
  });

  it('bounds tool calls: at most 100, their arguments within 1 MiB in all', () => {
    const many = Array.from({ length: 150 }, (_, i) => [undefined, { choices: [{ index: 0, delta: { tool_calls: [{ index: i, function: { name: `f${i}`, arguments: 'x'.repeat(20_000) } }] } }] }] as [undefined, unknown]);
    const got = createLlmStreamReader()(streamed('text/event-stream', sse(many)))!;
    // Calls past the arguments budget are still listed, by name (their arguments cut), up to 100.
    expect(got.toolCalls).toHaveLength(100);
    expect(got.toolCalls![99].name).toBe('f99');
    expect(got.toolCalls!.reduce((n, c) => n + c.arguments.length, 0)).toBe(MAX_TEXT);
    expect(got.cut).toBe(true);
  });

  it('Ollama NDJSON (chat and generate), the last line without a newline read at the end', () => {
    const lines = [
      { model: 'llama3.2', message: { role: 'assistant', content: 'The' }, done: false },
      { model: 'llama3.2', message: { role: 'assistant', content: ' sky' }, done: false },
      { model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
    ].map((l) => JSON.stringify(l));
    const chat = createLlmStreamReader()(streamed('application/x-ndjson', [`${lines[0]}\n${lines[1]}\n`, lines[2]]));
    expect(chat).toMatchObject({ provider: 'ollama', model: 'llama3.2', text: 'The sky', done: true, finishReason: 'stop' });
    const gen = createLlmStreamReader()(streamed('application/x-ndjson', [`{"model":"m","response":"4","done":false}\n{"model":"m","response":"2","done":true}\n`]));
    expect(gen).toMatchObject({ text: '42', done: true });
  });

  it('Cohere v2 content-delta', () => {
    const got = createLlmStreamReader()(
      streamed('text/event-stream', sse([['content-delta', { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hi' } } } }], ['message-end', { type: 'message-end', delta: { finish_reason: 'COMPLETE' } }]])),
    );
    expect(got).toMatchObject({ provider: 'cohere', text: 'Hi', done: true, finishReason: 'COMPLETE' });
  });

  it('reads a body captured whole (no chunks): text, no delta times', () => {
    const body = sse([[undefined, { choices: [{ delta: { content: 'whole' } }] }], [undefined, '[DONE]']]).join('');
    const entry = makeEntry({ response: { status: 200, statusText: 'OK', headers: [['Content-Type', 'text/event-stream']], body: text(body) } });
    const got = createLlmStreamReader()(entry)!;
    expect(got).toMatchObject({ text: 'whole', done: true });
    expect(got.firstDeltaAt).toBeUndefined();
  });

  it('is undefined for streams that are not an LLM, plain JSON, and malformed data; never throws', () => {
    const read = createLlmStreamReader();
    expect(read(streamed('text/event-stream', sse([['tick', { n: 1 }], [undefined, 'not json {']])))).toBeUndefined();
    expect(read(makeEntry())).toBeUndefined();
    expect(read(streamed('text/event-stream', ['data: {"choices": [null, 1]}\n\n', 'data: {"choices":[{"delta":{"content":7}}]}\n\n', '\u0000\xff garbage']))).toMatchObject({ text: '', deltas: 0 });
  });

  it('caps the assembled text', () => {
    const big = 'x'.repeat(300 * 1024);
    const got = createLlmStreamReader()(streamed('text/event-stream', sse(Array.from({ length: 5 }, () => [undefined, { choices: [{ delta: { content: big } }] }] as [undefined, unknown]))))!;
    expect(got.text.length).toBe(MAX_TEXT);
    expect(got.cut).toBe(true);
    expect(got.deltas).toBe(5);
  });
});
