import type { Server, ServerResponse } from 'node:http';
import type { Express } from 'express';

export interface HttpServer {
  port: number;
  /** Stops taking connections, lets requests in progress finish, and resolves once every connection is gone. */
  close(): Promise<void>;
}

export function listen(app: Express, port: number): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('error', reject);
    server.once('listening', () => resolve(closable(server)));
  });
}

/**
 * server.close() alone waits for every kept-alive connection to go quiet, and a sender in the
 * middle of a burst (Alertmanager keeps its connections open) never lets it. So once closing,
 * every answer not yet written says `Connection: close` (requests in progress still get their
 * 202), and a connection whose keep-alive answer was already on its way is dropped once idle.
 */
function closable(server: Server): HttpServer {
  let closing = false;
  const unanswered = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    unanswered.add(res);
    res.once('close', () => {
      unanswered.delete(res);
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
        server.close(() => resolve());
      }),
  };
}
