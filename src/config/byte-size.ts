import { z } from 'zod';

const UNIT_BYTES = { b: 1, kb: 1024, mb: 1024 ** 2 } as const;

/** "512kb" | "1mb" | "2048b" -> bytes (binary units, as express's body limit reads them). */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)\s*$/i.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Math.round(Number(amount) * UNIT_BYTES[unit!.toLowerCase() as keyof typeof UNIT_BYTES]);
}

export const byteSize = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (use 512kb, 1mb)` });
    return z.NEVER;
  }
  return bytes;
});
