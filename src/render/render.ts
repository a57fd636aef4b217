import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { ChannelType, RenderedMessage } from '../channels/channel';
import { PermanentDeliveryError } from '../channels/delivery-errors';
import type { Locale } from '../config/schema';
import type { AlertEvent } from '../normalize/event';
import { escapeHtml } from './escape-html';
import { createHelpers } from './helpers';
import { truncateTelegramHtml } from './truncate-html';
import { buildViewModel } from './view-model';

/** Each channel type's text format: how values are escaped and how a message is made to fit. */
interface Format {
  escape: (text: string) => string;
  fit: (text: string) => string;
}
const FORMATS: Record<ChannelType, Format> = {
  // Telegram counts 4096 characters after entity parsing (PROVIDERS.md §1.6).
  telegram: { escape: escapeHtml, fit: (text) => truncateTelegramHtml(text, 4096) },
  console: { escape: (text) => text, fit: (text) => text },
};

export interface RenderTarget {
  name: string;
  type: ChannelType;
  /** Language of the default templates' fixed words (the channel's own, else the global one). */
  locale: Locale;
  /** Path of a .hbs file that replaces the default template for this channel. */
  template?: string;
}

export interface Renderer {
  render(event: AlertEvent, target: RenderTarget): RenderedMessage;
}

export interface RendererOptions {
  templatesDir: string;
  timezone: string;
  now?: () => Date;
}

/** Templates are compiled on first use and cached for the life of the process. */
export function createRenderer(options: RendererOptions): Renderer {
  const now = options.now ?? (() => new Date());
  const environments = new Map<ChannelType, typeof Handlebars>();
  const compiled = new Map<string, HandlebarsTemplateDelegate>();

  const environment = (type: ChannelType) => {
    let env = environments.get(type);
    if (!env) {
      env = Handlebars.create();
      env.registerHelper(createHelpers(FORMATS[type].escape, options.timezone, now));
      environments.set(type, env);
    }
    return env;
  };

  const template = (target: RenderTarget, source: string) => {
    const path = target.template ?? join(options.templatesDir, target.type, `${source}.hbs`);
    const key = `${target.type}\0${path}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = environment(target.type).compile(readFileSync(path, 'utf8'), { strict: false });
      compiled.set(key, fn);
    }
    return fn;
  };

  return {
    render(event, target) {
      const format = FORMATS[target.type];
      const source = event.source === 'test' ? 'sentry' : event.source;
      try {
        const text = template(target, source)(buildViewModel(event, format.escape)).trim();
        return { text: format.fit(text), title: `[${event.status === 'resolved' ? 'RESOLVED' : event.severity.toUpperCase()}] ${event.title}` };
      } catch (err) {
        // A broken template stays broken on the next attempt: fail the job at once.
        throw new PermanentDeliveryError('renderError', `template for ${target.name} failed: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}
