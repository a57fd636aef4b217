import { z } from 'zod';
import { describeZodError } from '../../../src/normalize/parse-result';

function problem(schema: z.ZodType, value: unknown): string {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return describeZodError(result.error);
}

describe('describeZodError', () => {
  const labels = z.object({ labels: z.record(z.string(), z.string()) });

  it('when ordinary keys fail, then the path reads like code', () => {
    expect(problem(labels, { labels: { port: 8080 } })).toBe('labels.port: expected string, received number');
  });

  it('when a key is 100 000 characters, then the path quotes it cut short', () => {
    const message = problem(labels, { labels: { ['k'.repeat(100_000)]: 1 } });
    expect(message).toBe(`labels["${'k'.repeat(40)}…"]: expected string, received number`);
  });

  it('when a key holds a newline or a quote, then it is escaped, so it cannot forge a log line', () => {
    expect(problem(labels, { labels: { 'a\n2026-01-01 error "x"': 1 } })).toBe('labels["a\\n2026-01-01 error \\"x\\""]: expected string, received number');
  });

  it('when hundreds of fields fail, then five are named, the rest counted, and the message stays short', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`key${i}`, i]));
    const message = problem(labels, { labels: many });
    expect(message).toMatch(/^labels\.key0: expected string, received number; .*; and 295 more$/);
    expect(message.length).toBeLessThanOrEqual(601);
  });
});
