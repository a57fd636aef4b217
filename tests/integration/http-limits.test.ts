import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startHarness, type Harness } from '../support/gateway-harness';
import { waitFor } from '../support/wait-for';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves once the server has closed `socket` (a 'close' event), failing after the deadline. */
async function closedByServer(socket: Socket, what: string): Promise<void> {
  let isClosed = false;
  socket.once('close', () => (isClosed = true));
  await waitFor(() => isClosed || socket.destroyed, what, 8000);
}

function health(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8')));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

describe('HTTP server limits', () => {
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gw) => gw.stop()));
  });
  async function gateway(raw: Record<string, unknown>, label: string): Promise<Harness> {
    const gw = await startHarness({ role: 'api', ...raw }, label);
    started.push(gw);
    return gw;
  }

  it('when a client sends its headers too slowly, then the server closes the socket after ingest.headersTimeout', async () => {
    const gw = await gateway({ ingest: { headersTimeout: '300ms', requestTimeout: '1s' } }, 'limits-headers');
    const socket = await open(gw.gateway.port);
    socket.on('error', () => undefined);
    socket.resume();
    socket.write('POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\n');
    // Node's default (60 s, checked every 30 s) would keep it open well past this deadline.
    await closedByServer(socket, 'the server to close the slow socket');
  });

  it('when a request brings a wrong bearer token and never sends its body, then the answer is 401 without waiting for the body', async () => {
    const gw = await gateway({ auth: { token: 'limits-token-7c1e' } }, 'limits-early-401');
    for (const path of ['/webhook/alertmanager', '/webhook/sentry', '/test']) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: gw.gateway.port, method: 'POST', path, headers: { Authorization: 'Bearer wrong', 'Content-Type': 'application/json', 'Content-Length': '100000' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
        // The body is never written: only an answer given before reading it can arrive.
      });
      expect(status).toBe(401);
    }
  });

  it('when more connections are opened than ingest.maxConnections, then the excess is closed and the ones within the cap are served', async () => {
    const gw = await gateway({ ingest: { maxConnections: 2 } }, 'limits-connections');
    const kept = [await open(gw.gateway.port), await open(gw.gateway.port)];
    // An answer on each proves the server has taken both before the third arrives.
    for (const socket of kept) expect(await health(socket)).toMatch(/^HTTP\/1\.1 200/);
    const excess = await open(gw.gateway.port);
    excess.on('error', () => undefined);
    excess.resume();
    await closedByServer(excess, 'the excess connection to be closed');
    expect(await health(kept[0]!)).toMatch(/^HTTP\/1\.1 200/);
    kept.forEach((socket) => socket.destroy());
  });

  it('when X-Forwarded-For is sent and ingest.trustProxy is off, then from= in the warn line is the socket address; with trustProxy it is the forwarded one', async () => {
    const plain = await gateway({}, 'limits-proxy-off');
    const trusting = await gateway({ ingest: { trustProxy: 'loopback' } }, 'limits-proxy-on');
    for (const gw of [plain, trusting]) {
      await fetch(`${gw.url}/webhook/alertmanager`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.9' }, body: '{' });
    }
    const plainLine = await plain.waitForLog(/rejected/);
    const trustingLine = await trusting.waitForLog(/rejected/);
    expect(plainLine).not.toContain('203.0.113.9');
    expect(plainLine).toMatch(/127\.0\.0\.1/);
    expect(trustingLine).toContain('203.0.113.9');
  });
});
