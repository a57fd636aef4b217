import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import { RetryableDeliveryError } from '../delivery-errors';

/**
 * Prints each message instead of sending it: the quick-start default when no chat is configured,
 * and a way to try templates. `write` is injected (main passes a stdout writer) so this module
 * holds no global state and tests can capture the output.
 */
export function createConsoleChannel(name: string, write: (text: string) => void): Channel {
  return {
    name,
    type: 'console',
    preview: (message) => ({ method: 'PRINT', url: 'stdout', body: printed(name, message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      // Keep the contract: an aborted delivery is not reported as delivered.
      if (signal.aborted) throw new RetryableDeliveryError('timeout', `console ${name}: aborted before writing`);
      write(printed(name, message));
      return {};
    },
  };
}

function printed(name: string, message: RenderedMessage): string {
  return `=== [${name}] ${message.title} ===\n${message.text}\n${mentionLine(message)}`;
}

/** Who a chat would mention, by their names in config: what trying rules on the console shows. */
function mentionLine(message: RenderedMessage): string {
  const names = [...(message.mentions?.people.map((person) => person.name) ?? []), ...(message.mentions?.all ? ['@all'] : [])];
  return names.length > 0 ? `mentions: ${names.join(', ')}\n` : '';
}
