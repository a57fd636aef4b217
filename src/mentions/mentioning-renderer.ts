import type { Renderer } from '../render/render';
import type { MentionResolver } from './resolve';

/**
 * The renderer whose alert messages carry the people they mention, for the channel to write in
 * its provider's syntax. Digests do not mention again: they report repeats the first message
 * already told those people about.
 */
export function mentioningRenderer(renderer: Renderer, resolve: MentionResolver): Renderer {
  return {
    ...renderer,
    render(event, target, lifecycle) {
      const message = renderer.render(event, target, lifecycle);
      const mentions = resolve(event);
      return mentions ? { ...message, mentions } : message;
    },
  };
}
