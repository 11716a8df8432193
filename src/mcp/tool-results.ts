import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool's answer: the structured content its output schema describes, and the same as JSON text for older clients. */
export function structured(value: object, summary?: string): CallToolResult {
  return {
    structuredContent: value as Record<string, unknown>,
    content: [
      ...(summary ? [{ type: 'text' as const, text: summary }] : []),
      { type: 'text', text: JSON.stringify(value) },
    ],
  };
}

/** A refusal or bad input, in the words the other surfaces use: a tool error the model can read. */
export function refusal(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}
