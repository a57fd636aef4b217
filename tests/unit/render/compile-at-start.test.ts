import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateSet } from '../../../src/render/rendered-message';
import { TemplateError } from '../../../src/render/compile-template';
import { createRenderer, type RenderTarget } from '../../../src/render/render';
import { FORMATS } from '../../../src/render/formats';

const TEMPLATES = join(__dirname, '../../../templates');
// Every template set render knows, so a new channel type's shipped templates are checked too.
const TYPES = Object.keys(FORMATS) as TemplateSet[];

/** Builds a renderer for one channel "ops" whose override template is `text`, and returns what it threw. */
function buildWith(text: string | undefined, type: TemplateSet = 'telegram'): unknown {
  const files: Record<string, string> = text === undefined ? {} : { '/etc/gw/ops.hbs': text };
  const target: RenderTarget = { name: 'ops', type, locale: 'en', template: '/etc/gw/ops.hbs' };
  try {
    createRenderer({
      templatesDir: TEMPLATES,
      timezone: 'UTC',
      targets: [target],
      readTemplate: (path) => {
        const found = files[path];
        if (found !== undefined) return found;
        if (path.startsWith(TEMPLATES)) return readFileSync(path, 'utf8');
        throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      },
    });
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('templates compiled when the renderer is built', () => {
  it('when every channel type uses the shipped templates, then the renderer is built without a problem', () => {
    expect(() => createRenderer({ templatesDir: TEMPLATES, timezone: 'UTC', targets: TYPES.map((type) => ({ name: `ops-${type}`, type, locale: 'en' })) })).not.toThrow();
  });

  it.each([
    ['a block closed by the wrong name', '{{title}}\n\n{{#if url}}{{url}}{{/each}}', 3, /if doesn't match each/],
    ['an unclosed mustache', '{{title}}\n{{url', 2, /Parse error on line 2/],
    ['a misspelled helper', '{{title}}\n{{formatTime occurredAt}}', 2, /unknown helper "formatTime"/],
    ['a helper misspelled inside a block', '{{#if url}}\n  {{upper (severityEmojis severity status)}}\n{{/if}}', 2, /unknown helper "severityEmojis"/],
    ['an unknown message key', '{{title}}\n\n\n{{t "openInSentri"}}', 4, /unknown message key "openInSentri"/],
  ])('when an override template has %s, then building the renderer fails naming the channel, the file and the line', (_what, text, line, problem) => {
    const err = buildWith(text);
    expect(err).toBeInstanceOf(TemplateError);
    expect(err).toMatchObject({ channel: 'ops', file: '/etc/gw/ops.hbs', line });
    expect((err as Error).message).toContain(`template of channel "ops" (/etc/gw/ops.hbs, line ${line}): `);
    expect((err as Error).message).toMatch(problem);
  });

  it('when an override template file does not exist, then building the renderer fails naming the channel and the file', () => {
    const err = buildWith(undefined);
    expect(err).toBeInstanceOf(TemplateError);
    expect((err as Error).message).toMatch(/^template of channel "ops" \(\/etc\/gw\/ops\.hbs\): cannot read the file: ENOENT/);
  });

  it('when a template uses value lookups, blocks over lists, built-in helpers and t with a value, then it is accepted', () => {
    const text = '{{#labels}}{{name}}={{value}}{{/labels}}{{#each annotations}}{{this.name}}{{/each}}{{label.alertname}}{{#with extra}}{{groupKey}}{{/with}}{{t "severity" severity}}{{lookup label "job"}}{{@root.title}}';
    expect(buildWith(text)).toBeUndefined();
  });
});
