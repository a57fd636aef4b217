import { templateSetOf } from '../channels/registry';
import type { Config } from '../config/schema';
import { createRenderer, type Renderer, type RenderTarget } from '../render/render';

/** Every template the channels use, compiled now: a broken one refuses the start or the reload, naming file and line. */
export function renderingFor(config: Config, templatesDir: string): { targets: Map<string, RenderTarget>; renderer: Renderer } {
  const targets = new Map<string, RenderTarget>(
    Object.entries(config.channels).map(([name, channel]) => [name, { name, type: templateSetOf(channel), locale: channel.locale ?? config.locale, template: channel.template }]),
  );
  return { targets, renderer: createRenderer({ templatesDir, timezone: config.timezone, targets: targets.values() }) };
}
