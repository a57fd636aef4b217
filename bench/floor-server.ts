import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * The floor the ingest benchmark measures the gateway against: the cheapest durable
 * acknowledgement on this stack. It parses the JSON (so malformed bodies are refused, as any
 * receiver must), appends the raw body to one Redis stream with XADD, and answers 202 once Redis
 * has it. No validation, routing, auth or metrics: whatever the gateway spends beyond this is the
 * price of its features.
 *
 * With FLOOR_STORE=bullmq it adds one BullMQ job per request instead (the raw body as its data):
 * the cheapest acknowledgement through the queue library the gateway is built on, which tells
 * the price of BullMQ apart from the price of the gateway's own work.
 *
 * Run as its own process: `node build/bench/floor-server.js` with REDIS_URL and PORT; it prints
 * "listening on :PORT" when ready.
 */
function main(): void {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (err: Error) => console.error(`floor: redis: ${err.message}`));
  const queue = process.env.FLOOR_STORE === 'bullmq' ? new Queue('floor', { connection: redis, prefix: 'floor' }) : undefined;
  const store = (raw: string): Promise<unknown> => (queue ? queue.add('alert', raw) : redis.xadd('floor:alerts', '*', 'body', raw));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        JSON.parse(raw);
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"malformed_json"}');
        return;
      }
      store(raw).then(
        () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"accepted":1}'),
        () => res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"error":"queue_unavailable"}'),
      );
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(`listening on :${typeof address === 'object' && address ? address.port : '?'}`);
  });
  process.on('SIGTERM', () => server.close(() => redis.quit().finally(() => process.exit(0))));
}

main();
