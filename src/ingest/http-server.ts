import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';

/** How long and how many: Node's defaults (60 s for headers, 300 s per request, no cap) let a few slow sockets sit for minutes. */
export interface ServerLimits {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  maxRequestsPerSocket: number;
  maxConnections: number;
}

export interface HttpServer {
  port: number;
  /** Stops taking connections, lets requests in progress finish, and resolves once every connection is gone. */
  close(): Promise<void>;
}

/** `app` is any request handler: an Express app, or the gateway's switch between the app of each configuration. */
export function listen(app: RequestListener, port: number, limits?: ServerLimits): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = limits ? limitedServer(app, limits) : createServer(app);
    server.listen(port);
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

function limitedServer(app: RequestListener, limits: ServerLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeout,
      requestTimeout: limits.requestTimeout,
      keepAliveTimeout: limits.keepAliveTimeout,
      // Node enforces both timeouts only when it sweeps its connections (every 30 s by default), so
      // a 10 s limit could stretch to 40 s; sweeping more often keeps it near its setting.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeout / 2))),
    },
    app,
  );
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  // Past the cap Node closes each new connection as it arrives, so the ones in progress keep their share.
  server.maxConnections = limits.maxConnections;
  return server;
}
