import { z } from 'zod';

// Field types every slice of the config uses. Empty strings (an unset ${VAR}) count as "not
// given", so defaults and "required" work.
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
export const requiredString = z.preprocess((v) => (v === '' ? undefined : v), z.string({ error: 'required' }));
export const httpUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional());
