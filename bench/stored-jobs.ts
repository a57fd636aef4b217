import { Queue, type ConnectionOptions } from 'bullmq';

/** Jobs a queue holds in every state a stored webhook can be in: what the bench counts against the 202 answers. */
export async function storedJobs(connection: ConnectionOptions, name: string, prefix: string): Promise<number> {
  const queue = new Queue(name, { connection, prefix });
  try {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  } finally {
    await queue.close();
  }
}
