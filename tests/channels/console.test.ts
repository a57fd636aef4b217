import { createConsoleChannel } from '../../src/channels/console/notifier';
import { RetryableDeliveryError } from '../../src/channels/delivery-errors';

const message = { title: '[CRITICAL] Disk full on db-1', text: '[FIRING critical] Alertmanager DiskFull: Disk full on db-1\n  instance: db-1:9100' };

describe('console channel', () => {
  test('when a message is sent, then the writer receives the title line and the text, once', async () => {
    const written: string[] = [];
    const channel = createConsoleChannel('local', (text) => written.push(text));

    await expect(channel.send(message, new AbortController().signal)).resolves.toEqual({});

    expect(written).toEqual([`=== [local] [CRITICAL] Disk full on db-1 ===\n${message.text}\n`]);
  });

  test('when the text holds markup, then it is written verbatim', async () => {
    const written: string[] = [];
    const text = `KeyError: '<user_*id*>' </b> {{title}} &amp;`;

    await createConsoleChannel('local', (line) => written.push(line)).send({ title: 'x', text }, new AbortController().signal);

    expect(written.join('')).toContain(text);
  });

  test('when the signal is already aborted, then it throws a retryable timeout and writes nothing', async () => {
    const written: string[] = [];
    const controller = new AbortController();
    controller.abort();

    const sending = createConsoleChannel('local', (text) => written.push(text)).send(message, controller.signal);

    await expect(sending).rejects.toBeInstanceOf(RetryableDeliveryError);
    await expect(sending).rejects.toMatchObject({ reason: 'timeout', message: expect.stringContaining('local') });
    expect(written).toEqual([]);
  });
});
