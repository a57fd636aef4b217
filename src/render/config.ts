import { z } from 'zod';
import { LOCALES } from './locales/locale';

/** The render stage's slice of config: the language of messages, globally or per channel. */
export const localeSchema = z.enum(LOCALES);
