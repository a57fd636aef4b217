import type { Locale } from './locale';
import { en, type Dictionary, type MessageKey } from './en';
import type { Phrase } from './phrase';
import { ru } from './ru';
import { zhCN } from './zh-CN';

export type { Dictionary, MessageKey };

/** Record<Locale, …>: adding a locale to the config schema fails compilation until it has a dictionary. */
export const DICTIONARIES: Readonly<Record<Locale, Dictionary>> = { en, 'zh-CN': zhCN, ru };

const pluralRules = new Map<Locale, Intl.PluralRules>();

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * The phrase for `key` in `locale`, with `{name}` placeholders filled from `params`. An unknown
 * key throws: it is a typo in a template, and a render error names the channel whose template
 * it is (better than a message with a hole in it).
 */
export function translate(locale: Locale, key: string, params: Readonly<Record<string, string | number>> = {}): string {
  if (!isMessageKey(key)) throw new Error(`unknown message key "${key}" (known: ${Object.keys(en).join(', ')})`);
  const text = pick(DICTIONARIES[locale][key], locale, params.count);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

function pick(phrase: Phrase, locale: Locale, count: string | number | undefined): string {
  if (typeof phrase === 'string') return phrase;
  const n = Number(count);
  if (count === undefined || Number.isNaN(n)) return phrase.other;
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return phrase[rules.select(n)] ?? phrase.other;
}
