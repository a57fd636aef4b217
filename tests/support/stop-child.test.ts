import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { stopChild } from './stop-child';

/** A node child that prints "ready" once its SIGTERM handler, if any, is in place. */
async function startChild(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `${script}; setInterval(() => {}, 1000); console.log('ready')`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

describe('stopChild', () => {
  it('when the child obeys SIGTERM, then it exits from that signal', async () => {
    const child = await startChild('');
    await stopChild(child, 10_000);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('when the child ignores SIGTERM, then it is killed once the grace period is over', async () => {
    const child = await startChild("process.on('SIGTERM', () => {})");
    const startedAt = Date.now();
    await stopChild(child, 300);
    expect(child.signalCode).toBe('SIGKILL');
    // Not at once: SIGTERM had its grace period (less a margin, as timers may fire a little early by the clock).
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
  });
});
