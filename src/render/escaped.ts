/**
 * A payload value on its way into a template. Handlebars calls toHTML() for `{{value}}`, so the
 * channel's own escape function applies to every interpolated value; `{{{value}}}` (a raw block,
 * on purpose) gets toString(), the text as received.
 */
export class Escaped {
  constructor(
    readonly raw: string,
    private readonly escape: (text: string) => string,
  ) {}

  toHTML(): string {
    return this.escape(this.raw);
  }

  toString(): string {
    return this.raw;
  }
}

/** The plain text behind a template argument, whatever form it arrived in. */
export function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Escaped) return value.raw;
  return String(value);
}
