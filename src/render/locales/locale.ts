/** The languages templates speak; each has a dictionary beside this file. */
export const LOCALES = ['en', 'zh-CN', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
