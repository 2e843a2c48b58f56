// Starts an emulator on a real loopback port for one test and talks to it with plain HTTP (undici fetch).
import type { TestContext } from 'node:test';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { createAmoEmulator, type AmoEmulatorOptions } from '../../../src/emulators/amocrm/index.js';

export interface Started {
  emu: ReturnType<typeof createAmoEmulator>;
  origin: string;
  base: string;
  token: string;
  /** fetch against the account base URL with the bearer token and a JSON body. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  ): Promise<{ status: number; headers: Headers; text: string; json: () => any }>;
}

export const REDIRECT_URI = 'http://127.0.0.1:9/amocrm/callback';

export async function startEmulator(t: TestContext, options: AmoEmulatorOptions = {}): Promise<Started> {
  const emu = createAmoEmulator({ redirectUri: REDIRECT_URI, rateLimit: { enabled: false }, ...options });
  const origin = await emu.listen();
  t.after(() => emu.close());
  const base = emu.baseUrl();
  const token = emu.control.oauth.issueTokens().access_token;
  const api: Started['api'] = async (path, init = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${init.token ?? token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers as unknown as Headers, text, json: () => JSON.parse(text) };
  };
  return { emu, origin, base, token, api };
}

export interface Receiver {
  url: string;
  hits: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  /** Status to answer with for the next hits (one per entry); 200 after the list runs out. */
  script: number[];
}

/** A tiny HTTP server that records what it receives (webhook and disconnect-hook target). */
export async function startReceiver(t: TestContext): Promise<Receiver> {
  const receiver: Receiver = { url: '', hits: [], script: [] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      receiver.hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = receiver.script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return receiver;
}

export const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
