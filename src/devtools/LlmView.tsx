import type { LlmStream } from '../shared/llm-stream';
import { ms } from './format';

const PROVIDER: Record<LlmStream['provider'], string> = {
  'openai-chat': 'OpenAI-style chat completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  gemini: 'Google Gemini',
  ollama: 'Ollama',
  cohere: 'Cohere',
};


/** A streamed LLM response: the text as assembled from its deltas (as text, never markup), with its first/last chunk times. */
export function LlmView({ llm, startTime }: { llm: LlmStream; startTime: number }) {
  return (
    <section class="llm" data-testid="llm-stream" data-provider={llm.provider}>
      <h3>
        Assembled text <small class="muted">{PROVIDER[llm.provider]}{llm.model ? ` · ${llm.model}` : ''}</small>
      </h3>
      <p class="muted" data-testid="llm-facts">
        {llm.deltas} text deltas in {llm.events} events
        {llm.firstDeltaAt !== undefined && ` · first chunk after ${ms(llm.firstDeltaAt - startTime)}`}
        {llm.lastDeltaAt !== undefined && ` · last after ${ms(llm.lastDeltaAt - startTime)}`}
        {llm.done ? ' · finished' : llm.lostChunks ? ' · its end not kept' : ' · not finished'}
        {llm.finishReason ? ` (${llm.finishReason})` : ''}
        {llm.usage && ` · tokens: ${llm.usage.inputTokens ?? '?'} in, ${llm.usage.outputTokens ?? '?'} out`}
      </p>
      {llm.error && <p class="warn">The stream reported an error: {llm.error}</p>}
      {llm.thinking && (
        <details class="llm-thinking" data-testid="llm-thinking">
          <summary>Thinking ({llm.thinking.length.toLocaleString('en')} characters)</summary>
          <pre>{llm.thinking}</pre>
        </details>
      )}
      <pre class="llm-text" data-testid="llm-text">{llm.text}</pre>
      {llm.toolCalls && (
        <>
          <h4>Tool calls</h4>
          <ol class="llm-tools" data-testid="llm-tool-calls">
            {llm.toolCalls.map((call, i) => (
              <li key={i}>
                <b>{call.name ?? '(no name)'}</b>
                <pre>{call.arguments}</pre>
              </li>
            ))}
          </ol>
        </>
      )}
      {llm.cut && <p class="note">Cut: the text at 1 MiB, or the tool calls at 100 or 1 MiB of arguments.</p>}
      {llm.lostChunks && <p class="note">Chunks of this stream were not kept (the capture's cap): the text stops where they begin, and whether the stream finished is not known.</p>}
    </section>
  );
}
