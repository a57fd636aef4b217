import type { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Channel } from '../channels/channel';
import type { Config } from '../config/schema';
import type { Lifecycle } from '../lifecycle/create-lifecycle';
import type { Logger } from '../observability/logger';
import { createDeliveryQueues, type DeliveryQueue } from '../queue/queues';
import type { Renderer, RenderTarget } from '../render/render';

/** What one configuration builds for delivering: the channels and how their messages render. */
export interface DeliveryGeneration {
  config: Config;
  channels: ReadonlyMap<string, Channel>;
  targets: ReadonlyMap<string, RenderTarget>;
  renderer: Renderer;
  /** Each channel's living-message policy (README, "One message per incident"). */
  lifecycle: Lifecycle;
}

export interface DeliverySetOptions {
  producer: Redis | Cluster;
  logger: Logger;
  onQueueError: (err: Error) => void;
  /** Absent for ROLE=api: queues only, no workers. */
  startWorker?: (name: string, queue: DeliveryQueue, generation: DeliveryGeneration) => Worker;
}

export interface DeliverySet {
  /** One queue per configured channel; the same map object for the life of the process, so the intake worker sees changes. */
  readonly queues: ReadonlyMap<string, DeliveryQueue>;
  workers(): Worker[];
  /** Queues for channels the next configuration adds: before ingest can route to them. */
  addQueues(generation: DeliveryGeneration): void;
  /**
   * Every channel's worker replaced by one built from the new generation (its channel, template
   * and pace may have changed), then the old one closed; a removed channel's worker stops and its
   * queue object closes. Jobs stay in Redis either way: a queue is only a name there.
   */
  replaceWorkers(generation: DeliveryGeneration): Promise<void>;
}

/** Empty at first: the gateway adds the first configuration's queues, then starts their workers once metrics exist. */
export function createDeliverySet(options: DeliverySetOptions): DeliverySet {
  const queues = new Map<string, DeliveryQueue>();
  const workers = new Map<string, Worker>();
  const addQueues = (generation: DeliveryGeneration) => {
    const added = Object.keys(generation.config.channels).filter((name) => !queues.has(name));
    for (const [name, queue] of createDeliveryQueues(added, options.producer, generation.config, options.onQueueError)) queues.set(name, queue);
  };
  const startWorkers = (generation: DeliveryGeneration) => {
    if (!options.startWorker) return;
    for (const name of Object.keys(generation.config.channels)) workers.set(name, options.startWorker(name, queues.get(name)!, generation));
  };

  return {
    queues,
    workers: () => [...workers.values()],
    addQueues,
    async replaceWorkers(generation) {
      const old = new Map(workers);
      workers.clear();
      // The new ones first: a waiting job is never without a worker, and the limiter lives in Redis, so the pace holds.
      startWorkers(generation);
      const removed = [...queues.keys()].filter((name) => !(name in generation.config.channels));
      // An old worker finishes the deliveries it runs (bounded by delivery.timeout) and takes no more.
      await Promise.all([...old.values()].map((worker) => worker.close()));
      for (const name of removed) {
        const queue = queues.get(name)!;
        queues.delete(name);
        const waiting = await queue.getJobCounts('waiting', 'delayed', 'prioritized').catch(() => undefined);
        const kept = waiting ? Object.values(waiting).reduce((sum, count) => sum + count, 0) : 'its';
        options.logger.warn(`channel "${name}" removed: its worker stopped; ${kept} waiting job(s) stay in Redis (queue ${queue.name}) until the channel is configured again`);
        await queue.close();
      }
    },
  };
}
