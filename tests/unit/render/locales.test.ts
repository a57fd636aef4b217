import { LOCALES } from '../../../src/render/locales/locale';
import { formatAgo, formatTime } from '../../../src/render/format-time';
import { DICTIONARIES, type Dictionary, translate } from '../../../src/render/locales';
import type { Phrase } from '../../../src/render/locales/phrase';

const placeholders = (phrase: Phrase) =>
  [...new Set((typeof phrase === 'string' ? [phrase] : Object.values(phrase)).flatMap((text: string) => text.match(/\{\w+\}/g) ?? []))].sort();

describe('dictionaries', () => {
  const english = DICTIONARIES.en;

  test.each(LOCALES)('when the %s dictionary is loaded, then it has exactly the English keys', (locale) => {
    expect(Object.keys(DICTIONARIES[locale]).sort()).toEqual(Object.keys(english).sort());
  });

  test.each(LOCALES)('when a %s phrase is filled, then it uses the same placeholders as the English one', (locale) => {
    for (const [key, phrase] of Object.entries(DICTIONARIES[locale])) {
      expect([key, placeholders(phrase)]).toEqual([key, placeholders(english[key as keyof typeof english])]);
    }
  });

  test.each(LOCALES)('when a %s phrase has plural forms, then every category the language uses has one', (locale) => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const [key, phrase] of Object.entries(DICTIONARIES[locale])) {
      if (typeof phrase === 'string') continue;
      expect([key, categories.filter((category) => !(category in phrase))]).toEqual([key, []]);
    }
  });
});

describe('translate', () => {
  test.each([
    [1, '1 событие'],
    [3, '3 события'],
    [5, '5 событий'],
    [21, '21 событие'],
    [112, '112 событий'],
  ])('when Russian counts %p events, then the noun takes the right form: %p', (count, expected) => {
    expect(translate('ru', 'events', { count })).toBe(expected);
  });

  test('when English counts one or many, then singular and plural differ', () => {
    expect([translate('en', 'events', { count: 1 }), translate('en', 'events', { count: 2 })]).toEqual(['1 event', '2 events']);
  });

  test('when a key is unknown, then translate throws naming it (a template typo must not render a hole)', () => {
    expect(() => translate('en', 'severity.fatal')).toThrow('unknown message key "severity.fatal"');
  });

  test('when a placeholder has no value, then it is left visible rather than dropped', () => {
    expect(translate('zh-CN', 'since')).toBe('开始于 {time}');
  });
});

describe('formatTime', () => {
  const at = '2026-11-22T10:00:00Z';

  test.each([
    ['UTC', '2026-11-22 10:00:00 UTC'],
    ['Etc/UTC', '2026-11-22 10:00:00 UTC'],
    ['Asia/Shanghai', '2026-11-22 18:00:00 GMT+8 (Asia/Shanghai)'],
    ['Europe/Moscow', '2026-11-22 13:00:00 GMT+3 (Europe/Moscow)'],
    ['America/New_York', '2026-11-22 05:00:00 GMT-5 (America/New_York)'],
  ])('when the timezone is %s, then the time is shown in it with the zone: %s', (timezone, expected) => {
    expect(formatTime(at, timezone)).toBe(expected);
  });

  test('when summer time applies, then the offset shows it and the zone name stays', () => {
    expect(formatTime('2026-07-01T12:00:00Z', 'America/New_York')).toBe('2026-07-01 08:00:00 GMT-4 (America/New_York)');
  });

  test('when the value is not a time, then it is returned as it is', () => {
    expect(formatTime('yesterday', 'UTC')).toBe('yesterday');
  });
});

describe('formatAgo', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  test.each([
    ['2026-11-22T11:59:50Z', 'just now', '刚刚', 'только что'],
    ['2026-11-22T11:55:00Z', '5 min ago', '5 分钟前', '5 мин назад'],
    ['2026-11-22T09:00:00Z', '3 h ago', '3 小时前', '3 ч назад'],
    ['2026-11-19T12:00:00Z', '3 d ago', '3 天前', '3 дн. назад'],
  ])('when the time is %s, then en, zh-CN and ru say %p, %p, %p', (iso, en, zh, ru) => {
    expect([formatAgo(iso, now, 'en'), formatAgo(iso, now, 'zh-CN'), formatAgo(iso, now, 'ru')]).toEqual([en, zh, ru]);
  });
});

describe('Dictionary type', () => {
  test('when a dictionary lacks a key, then it does not compile (the type enforces completeness)', () => {
    const withoutRunbook: Omit<Dictionary, 'runbook'> = DICTIONARIES.ru;
    // @ts-expect-error: "runbook" is missing, so this is no Dictionary.
    const incomplete: Dictionary = withoutRunbook;
    expect(incomplete).toBe(DICTIONARIES.ru);
  });
});
