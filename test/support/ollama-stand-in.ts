import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: a reply body for /api/chat, or 'hang' to never answer. */
export type Script = { content: string; prompt_eval_count?: number; eval_count?: number } | 'hang';

export interface ChatRequestSeen {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream: boolean;
  format: unknown;
  options: { temperature?: number; seed?: number };
}

/** A stand-in for Ollama's POST /api/chat, speaking its non-streaming wire format. */
export class OllamaStandIn {
  readonly requests: ChatRequestSeen[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<ServerResponse>();
  private closing: Promise<void> | undefined;

  constructor(private readonly script: Script[]) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/api/chat') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestSeen;
    this.requests.push(body);
    const step = this.script[this.requests.length - 1] ?? this.script[this.script.length - 1] ?? 'hang';
    if (step === 'hang') {
      this.hanging.add(res);
      return;
    }
    const reply: Record<string, unknown> = {
      model: body.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: step.content },
      done: true,
      done_reason: 'stop',
      total_duration: 123_456_789,
      eval_count: step.eval_count ?? 42,
    };
    if (step.prompt_eval_count !== undefined) reply.prompt_eval_count = step.prompt_eval_count;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const res of this.hanging) res.destroy();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    return this.closing;
  }
}

/** A port that refuses connections: bound, then closed. */
export async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
