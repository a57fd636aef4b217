import { request, type Agent } from 'node:http';

export interface Answer {
  /** 0 when the connection was refused or dropped. */
  status: number;
  body: unknown;
}

/** POSTs a JSON body on a keep-alive agent; never rejects (a failed connection is status 0). */
export function postJson(url: string, body: string, headers: Record<string, string>, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', () => resolve({ status: 0, body: undefined }));
    req.end(body);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // not JSON: callers read only 202 answers, and a 202 is always JSON
  }
}
