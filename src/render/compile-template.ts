import Handlebars from 'handlebars';
import { isMessageKey } from './locales';

/** A template that cannot work: which file, which line (when the problem has one), why, and whose it is. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(readonly file: string, readonly line: number | undefined, readonly problem: string, readonly channel?: string) {
    const where = `${file}${line === undefined ? '' : `, line ${line}`}`;
    super(channel === undefined ? `${where}: ${problem}` : `template of channel "${channel}" (${where}): ${problem}`);
  }

  forChannel(channel: string): TemplateError {
    return new TemplateError(this.file, this.line, this.problem, channel);
  }
}

type Environment = typeof Handlebars;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

/**
 * Parses and fully compiles a template now, not on its first use: Handlebars' own `compile` is
 * lazy, so a syntax error would otherwise surface at the first delivery, and every alert of that
 * channel would fail. Also refuses what only fails when rendered: a call to a helper that is not
 * registered (`{{formatDate occurredAt}}`, "Missing helper" at render time) and `{{t "…"}}` with a
 * literal key that no dictionary has.
 */
export function compileTemplate(env: Environment, file: string, text: string): HandlebarsTemplateDelegate {
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(text);
    // precompile runs the compiler over the whole tree (its errors, e.g. a bad path, too).
    env.precompile(ast);
  } catch (err) {
    throw new TemplateError(file, lineOf(err), firstLines((err as Error).message));
  }
  const problem = findUnknownCall(env, ast);
  if (problem) throw new TemplateError(file, problem.line, problem.text);
  return env.compile(ast, { strict: false });
}

function findUnknownCall(env: Environment, ast: hbs.AST.Program): { line: number; text: string } | undefined {
  const calls: Call[] = [];
  class Collector extends Handlebars.Visitor {
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      calls.push(node);
      super.MustacheStatement(node);
    }
    override SubExpression(node: hbs.AST.SubExpression): void {
      calls.push(node);
      super.SubExpression(node);
    }
    override BlockStatement(node: hbs.AST.BlockStatement): void {
      calls.push(node);
      super.BlockStatement(node);
    }
  }
  new Collector().accept(ast);

  for (const call of calls) {
    const name = helperName(call);
    if (name === undefined) continue;
    const line = call.loc.start.line;
    if (!Object.hasOwn(env.helpers, name)) {
      return { line, text: `unknown helper "${name}" (known: ${Object.keys(env.helpers).filter((h) => !h.endsWith('Missing')).sort().join(', ')})` };
    }
    const key = name === 't' ? literalKey(call.params) : undefined;
    if (key !== undefined && !isMessageKey(key)) return { line, text: `unknown message key "${key}" in {{t}}` };
  }
  return undefined;
}

/**
 * The helper a node calls, when it can only be a helper call: a plain name with arguments.
 * `{{title}}` and `{{#labels}}` without arguments are lookups of values, not calls.
 */
function helperName(call: Call): string | undefined {
  const path = call.path;
  if (path.type !== 'PathExpression') return undefined;
  const { data, parts, original } = path as hbs.AST.PathExpression;
  if (data || parts.length !== 1 || original.includes('this') || original.includes('.')) return undefined;
  const hasArguments = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
  return hasArguments || call.type === 'SubExpression' ? parts[0] : undefined;
}

/** "severity.critical" for `{{t "severity" "critical"}}`; undefined when any part is not a literal. */
function literalKey(params: hbs.AST.Expression[]): string | undefined {
  const parts = params.map((param) => (param.type === 'StringLiteral' ? (param as hbs.AST.StringLiteral).value : undefined));
  return parts.length > 0 && parts.every((part) => part !== undefined) ? parts.join('.') : undefined;
}

/** Handlebars' own exceptions carry the line; its parser says "Parse error on line 3:". */
function lineOf(err: unknown): number | undefined {
  const line = (err as { lineNumber?: unknown }).lineNumber;
  if (typeof line === 'number') return line;
  const match = /on line (\d+)/.exec((err as Error).message);
  return match ? Number(match[1]) : undefined;
}

/** The parser's message and its caret picture, without the long "Expecting …" list of tokens. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 3).join('\n');
}
