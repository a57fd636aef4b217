import bytes from 'bytes';
import { z } from 'zod';

/** "512kb" | "1mb" | "2048b" -> bytes, with `bytes` (binary units), the parser express's body limit uses. */
export function parseByteSize(text: string): number | undefined {
  const value = bytes.parse(text.trim());
  return value === null || !Number.isFinite(value) ? undefined : value;
}

export const byteSize = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const parsed = parseByteSize(value);
  if (parsed === undefined || parsed <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (use 512kb, 1mb)` });
    return z.NEVER;
  }
  return parsed;
});
