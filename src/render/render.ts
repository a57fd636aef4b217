import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Locale } from './locales/locale';
import { RenderError, type RenderedMessage, type TemplateSet } from './rendered-message';
import { SEVERITIES, type AlertEvent } from '../normalize/event';
import { compileTemplate, TemplateError } from './compile-template';
import { FORMATS } from './formats';
import { createHelpers } from './helpers';
import { translate } from './locales';
import { buildViewModel, safeUrl } from './view-model';
import type { SummaryFacts } from '../policy/summary-facts';
import { buildSummaryViewModel } from './summary-view-model';
import { lifecycleView, type LifecycleFacts } from './lifecycle-view';

export type { LifecycleFacts };

export interface RenderTarget {
  name: string;
  type: TemplateSet;
  /** Language of the default templates' fixed words (the channel's own, else the global one). */
  locale: Locale;
  /** Path of a .hbs file that replaces the default template for this channel. */
  template?: string;
}

/** What a dedup window held back, for its digest message. */
export interface DigestFacts {
  repeats: number;
  users?: number;
  windowMs: number;
}

export interface Renderer {
  /** With `lifecycle`, the living message's edited, assigned, archived or resolved form (`{{lifecycle.*}}`). */
  render(event: AlertEvent, target: RenderTarget, lifecycle?: LifecycleFacts): RenderedMessage;
  /** The short follow-up to an incident's first message: a Telegram reply, or a robot's "resolved" naming the original. */
  renderFollowUp(event: AlertEvent, lifecycle: LifecycleFacts, original: { title: string }, target: RenderTarget): RenderedMessage;
  /** One message after a dedup window: "KeyError in checkout: 57 more events in the last 5 min, 12 users". */
  renderDigest(event: AlertEvent, digest: DigestFacts, target: RenderTarget): RenderedMessage;
  /** One message at the end of a digest period or a mute: totals, top issues (templates/<type>/summary.hbs). */
  renderSummary(facts: SummaryFacts, target: RenderTarget): RenderedMessage;
}

export interface RendererOptions {
  templatesDir: string;
  timezone: string;
  now?: () => Date;
  /** Reads a template file; tests pass their own to see what is read and when. */
  readTemplate?: (path: string) => string;
  /**
   * The configured channels: every template they can use is read and compiled here, so a missing
   * file or a broken override stops the start (a TemplateError naming channel, file and line)
   * instead of failing every alert of that channel at its first delivery.
   */
  targets?: Iterable<RenderTarget>;
}

/** What a channel renders: alerts of each source, and digests (those always in the default layout). */
const SOURCES = ['sentry', 'alertmanager', 'digest', 'summary', 'followup'] as const;

/**
 * Templates are compiled once and cached for the life of the process: one template per channel
 * type and source serves every locale (the words come from the `t` helper). Those of `targets`
 * are compiled when the renderer is built; any other on first use.
 */
export function createRenderer(options: RendererOptions): Renderer {
  const now = options.now ?? (() => new Date());
  const readTemplate = options.readTemplate ?? ((path: string) => readFileSync(path, 'utf8'));
  const environments = new Map<TemplateSet, typeof Handlebars>();
  const compiled = new Map<string, HandlebarsTemplateDelegate>();

  const environment = (type: TemplateSet) => {
    let env = environments.get(type);
    if (!env) {
      env = Handlebars.create();
      env.registerHelper(createHelpers(FORMATS[type].escape, options.timezone, now));
      environments.set(type, env);
    }
    return env;
  };

  const template = (target: RenderTarget, source: string) => {
    // An override template replaces the alert message; digests, summaries and follow-ups keep their default layout.
    const path = (source === 'sentry' || source === 'alertmanager' ? target.template : undefined) || join(options.templatesDir, target.type, `${source}.hbs`);
    const key = `${target.type}\0${path}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = compileTemplate(environment(target.type), path, readFile(path));
      compiled.set(key, fn);
    }
    return fn;
  };

  const readFile = (path: string) => {
    try {
      return readTemplate(path);
    } catch (err) {
      throw new TemplateError(path, undefined, `cannot read the file: ${(err as Error).message}`);
    }
  };

  for (const target of options.targets ?? []) {
    for (const source of SOURCES) {
      try {
        template(target, source);
      } catch (err) {
        throw err instanceof TemplateError ? err.forChannel(target.name) : err;
      }
    }
  }

  const run = (target: RenderTarget, source: string, model: object, title: string, event: AlertEvent): RenderedMessage => {
    const format = FORMATS[target.type];
    try {
      const text = template(target, source)(model).trim();
      return { text: format.finish(text), title, status: event.status, severity: event.severity, url: safeUrl(event.url), event };
    } catch (err) {
      // A broken template stays broken on the next attempt: fail the job at once.
      throw new RenderError(`template for ${target.name} failed: ${(err as Error).message}`, { cause: err });
    }
  };

  return {
    render(event, target, lifecycle) {
      const source = event.source === 'test' ? 'sentry' : event.source;
      const format = FORMATS[target.type];
      const model = { ...buildViewModel(event, format, target.locale), ...(lifecycle && { lifecycle: lifecycleView(lifecycle, format, target.locale) }) };
      return run(target, source, model, headline(event, target.locale), event);
    },
    renderFollowUp(event, lifecycle, original, target) {
      const format = FORMATS[target.type];
      const model = { ...buildViewModel({ ...event, title: original.title }, format, target.locale), lifecycle: lifecycleView(lifecycle, format, target.locale) };
      return run(target, 'followup', model, headline({ ...event, title: original.title }, target.locale), event);
    },
    renderDigest(event, digest, target) {
      const model = { ...buildViewModel(event, FORMATS[target.type], target.locale), digest: { ...digest, window: windowText(digest.windowMs, target.locale) } };
      return run(target, 'digest', model, `[${translate(target.locale, 'digest.tag').toUpperCase()}] ${event.title}`, event);
    },
    renderSummary(facts, target) {
      const model = buildSummaryViewModel(facts, FORMATS[target.type], target.locale);
      const tag = translate(target.locale, facts.kind === 'muted' ? 'summary.muted' : 'summary.digested').toUpperCase();
      const title = `[${tag}] ${translate(target.locale, 'summary.alerts', { count: facts.total })}, ${translate(target.locale, 'summary.issues', { count: facts.issueCount })}`;
      const severity = SEVERITIES.find((s) => facts.bySeverity[s] > 0) ?? 'info';
      const status = facts.stillFiring > 0 ? 'firing' : 'resolved';
      const format = FORMATS[target.type];
      try {
        const text = template(target, 'summary')(model).trim();
        return { text: format.finish(text), title, status, severity };
      } catch (err) {
        throw new RenderError(`summary template for ${target.name} failed: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}

/** "5 min", "30 s": a dedup window as a digest names it. */
function windowText(ms: number, locale: Locale): string {
  return ms >= 60_000
    ? translate(locale, 'duration.minutes', { count: Math.round(ms / 60_000) })
    : translate(locale, 'duration.seconds', { count: Math.max(1, Math.round(ms / 1000)) });
}

/** The plain-text title (DingTalk's notification line, logs): `[RESOLVED] …`, `[已恢复] …`, `[ОШИБКА] …`. */
function headline(event: AlertEvent, locale: Locale): string {
  const word = event.status === 'resolved' ? translate(locale, 'status.resolved') : translate(locale, `severity.${event.severity}`);
  return `[${word.toUpperCase()}] ${event.title}`;
}
