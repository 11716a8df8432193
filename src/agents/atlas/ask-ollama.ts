import { Ollama, type Message } from 'ollama';
import { CrewError, toCrewError } from '../../errors.js';

export interface OllamaCall {
  host: string;
  model: string;
  timeoutMs: number;
}

export interface ChatReply {
  content: string;
  promptTokens: number;
  completionTokens: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;

/**
 * One structured-output chat call. The client's abort() only reaches streamed requests, so
 * the timeout rides on a fetch wrapper's AbortSignal; the race is a backstop in case the
 * transport ignores the signal.
 */
export async function askOllama(
  call: OllamaCall,
  messages: Message[],
  format: Record<string, unknown>,
): Promise<ChatReply> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new CrewError('CREW_ERR_TIMEOUT', `Ollama did not answer within ${call.timeoutMs} ms`);
      controller.abort(err);
      reject(err);
    }, call.timeoutMs);
  });
  const client = new Ollama({
    host: call.host,
    fetch: (input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, signal: controller.signal }),
  });
  try {
    const res = await Promise.race([
      client.chat({ model: call.model, messages, stream: false, format, options: { temperature: 0, seed: 42 } }),
      timedOut,
    ]);
    // prompt_eval_count is left out on a prompt-cache hit.
    return {
      content: typeof res.message?.content === 'string' ? res.message.content : '',
      promptTokens: Number.isFinite(res.prompt_eval_count) ? res.prompt_eval_count : 0,
      completionTokens: Number.isFinite(res.eval_count) ? res.eval_count : 0,
    };
  } catch (err) {
    throw err instanceof CrewError ? err : toCrewError(err, 'CREW_ERR_LLM');
  } finally {
    clearTimeout(timer);
    timedOut.catch(() => undefined);
  }
}
