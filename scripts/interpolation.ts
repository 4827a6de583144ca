/**
 * Terraform template strings and expressions, read just far enough to find what they refer to:
 * `${…}` interpolations (nested, inside quoted strings, with `$${` escapes), `%{ if/for }`
 * directives, function calls (`element(concat(local.x, ["a"]), 0)`, `provider::ns::fn(…)`),
 * for-expressions whose iterator names are bound inside them (`[for k, v in x : v if …]`), object
 * keys (`{ Name = … }` is a key, not a reference), attribute/index/splat traversals.
 *
 * It is not a full HCL parser: it does not build a syntax tree or check operator grammar. It
 * reports unbalanced brackets and unterminated strings, which is what an offline check can trust.
 */

/** One reference as written, index expressions left out: `aws_s3_bucket.b.arn` → parts [aws_s3_bucket, b, arn]. */
export interface Reference {
  readonly parts: readonly string[];
  readonly text: string;
}

export interface ParsedTemplate {
  readonly references: Reference[];
  /** Functions called, e.g. `element`, `provider::aws::arn_parse`. */
  readonly functions: string[];
  /** Syntax problems (unterminated string, unbalanced bracket …). */
  readonly errors: string[];
}

/** A top-level piece of a template: literal text, or one interpolation's expression source. */
export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'interpolation'; readonly expression: string };

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if']);
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_-]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface ExpressionOptions {
  /** Object constructor: identifiers before `=`/`:` at key position are keys. */
  readonly object?: boolean;
  /** Stop (without consuming) at a `:` that closes no `?` (a for-expression's collection). */
  readonly stopAtColon?: boolean;
}

class Scanner {
  private pos = 0;
  readonly references: Reference[] = [];
  readonly functions: string[] = [];
  readonly errors: string[] = [];
  /** Names bound by enclosing for-expressions / template for-directives. */
  private readonly scopes: string[][] = [];

  constructor(
    private readonly src: string,
    bound: readonly string[] = [],
  ) {
    if (bound.length > 0) this.scopes.push([...bound]);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private error(message: string): void {
    this.errors.push(`${message} (at character ${this.pos} of ${JSON.stringify(this.src)})`);
  }

  private isBound(name: string): boolean {
    return this.scopes.some((s) => s.includes(name));
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private readIdent(): string {
    const start = this.pos;
    while (isIdentPart(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Template text: literal characters with `${…}` and `%{…}`; inside quotes, stops at the closing `"`. */
  template(quoted: boolean): void {
    const forDepth = this.scopes.length;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (quoted && c === '"') {
        this.pos++;
        this.closeTemplate(forDepth);
        return;
      }
      if (quoted && c === '\\') {
        this.pos += 2;
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        this.pos += 3; // `$${` / `%%{`: a literal `${` / `%{`
        continue;
      }
      if (c === '$' && this.peek(1) === '{') {
        this.pos += 2;
        if (this.peek() === '~') this.pos++;
        this.skipSpace();
        if (this.peek() === '}') this.error('empty interpolation ${}');
        this.expression('}');
        continue;
      }
      if (c === '%' && this.peek(1) === '{') {
        this.pos += 2;
        this.directive();
        continue;
      }
      this.pos++;
    }
    if (quoted) this.error('unterminated string');
    this.closeTemplate(forDepth);
  }

  private closeTemplate(forDepth: number): void {
    if (this.scopes.length > forDepth) {
      this.error('%{ for } without %{ endfor }');
      this.scopes.length = forDepth;
    }
  }

  /** `%{ if cond }`, `%{ for k, v in coll }`, `%{ else }`, `%{ endif }`, `%{ endfor }`. */
  private directive(): void {
    if (this.peek() === '~') this.pos++;
    this.skipSpace();
    const keyword = this.readIdent();
    if (keyword === 'if') {
      this.expression('}');
    } else if (keyword === 'for') {
      const names = this.forNames();
      this.expression('}');
      this.scopes.push(names);
    } else if (keyword === 'endfor' || keyword === 'else' || keyword === 'endif') {
      if (keyword === 'endfor') {
        if (this.scopes.length === 0) this.error('%{ endfor } without %{ for }');
        this.scopes.pop();
      }
      this.skipSpace();
      if (this.peek() === '~') this.pos++;
      if (this.peek() !== '}') this.error(`expected } after %{ ${keyword}`);
      else this.pos++;
    } else {
      this.error(`unknown template directive %{ ${keyword}`);
      this.expression('}');
    }
  }

  /** `k, v in` / `v in` after `for`: the bound names. */
  private forNames(): string[] {
    const names: string[] = [];
    this.skipSpace();
    names.push(this.readIdent());
    this.skipSpace();
    if (this.peek() === ',') {
      this.pos++;
      this.skipSpace();
      names.push(this.readIdent());
      this.skipSpace();
    }
    if (this.readIdent() !== 'in' || names.some((n) => n === ''))
      this.error('malformed for: expected "for name[, name] in"');
    return names;
  }

  /**
   * An expression up to `closer` (consumed). Nested brackets recurse; a `[`/`{` starting with `for`
   * is a for-expression whose names are bound until its closing bracket.
   */
  expression(closer: string | undefined, options: ExpressionOptions = {}): void {
    let afterDot = false;
    let keyPosition = options.object === true;
    let openQuestions = 0;
    while (true) {
      const before = this.pos;
      this.skipSpace();
      if (options.object && /\n/.test(this.src.slice(before, this.pos))) keyPosition = true;
      const c = this.peek();
      if (c === undefined) {
        if (closer !== undefined) this.error(`unterminated expression: expected "${closer}"`);
        return;
      }
      if (closer === '}' && c === '~' && this.peek(1) === '}') {
        this.pos += 2;
        return;
      }
      if (c === closer) {
        this.pos++;
        return;
      }
      if (options.stopAtColon && c === ':' && openQuestions === 0) return;
      if (c === ')' || c === ']' || c === '}') {
        this.error(`unbalanced "${c}"`);
        this.pos++;
        continue;
      }
      const wasKeyPosition = keyPosition;
      keyPosition = false;
      if (c === '"') {
        this.pos++;
        this.template(true);
        afterDot = false;
        continue;
      }
      if (c === '(') {
        this.pos++;
        this.expression(')');
        afterDot = false;
        continue;
      }
      if (c === '[' || c === '{') {
        this.pos++;
        this.bracket(c);
        afterDot = false;
        continue;
      }
      if (isIdentStart(c)) {
        this.identifier(afterDot, wasKeyPosition && options.object === true);
        afterDot = false;
        continue;
      }
      if (isDigit(c)) {
        while (isDigit(this.peek()) || (this.peek() === '.' && isDigit(this.peek(1)))) this.pos++;
        if (/[eE]/.test(this.peek() ?? '') && /[-+\d]/.test(this.peek(1) ?? '')) {
          this.pos += 2;
          while (isDigit(this.peek())) this.pos++;
        }
        afterDot = false;
        continue;
      }
      if (c === '.') {
        if (this.peek(1) === '.' && this.peek(2) === '.') {
          this.pos += 3;
          continue;
        }
        this.pos++;
        if (this.peek() === '*')
          this.pos++; // legacy splat `.*`
        else afterDot = true;
        continue;
      }
      if (c === '?') openQuestions++;
      if (c === ':' && openQuestions > 0) openQuestions--;
      if (c === ',') keyPosition = options.object === true;
      this.pos++;
      afterDot = false;
    }
  }

  /** After `[` or `{`: a for-expression, a tuple, or an object. */
  private bracket(open: '[' | '{'): void {
    const closer = CLOSERS[open];
    const save = this.pos;
    this.skipSpace();
    if (this.readIdent() === 'for' && /[\s]/.test(this.peek() ?? '')) {
      const names = this.forNames();
      this.expression(undefined, { stopAtColon: true });
      if (this.peek() === ':') this.pos++;
      else {
        this.error('malformed for-expression: expected ":"');
        return;
      }
      this.scopes.push(names);
      this.expression(closer);
      this.scopes.pop();
      return;
    }
    this.pos = save;
    this.expression(closer, { object: open === '{' });
  }

  private identifier(afterDot: boolean, keyPosition: boolean): void {
    const name = this.readIdent();
    if (afterDot) return; // attribute of something already recorded
    // provider::namespace::function(…)
    if (this.peek() === ':' && this.peek(1) === ':') {
      let full = name;
      while (this.peek() === ':' && this.peek(1) === ':') {
        this.pos += 2;
        full += `::${this.readIdent()}`;
      }
      this.functions.push(full);
      return;
    }
    const save = this.pos;
    this.skipSpace();
    const next = this.peek();
    if (next === '(') {
      this.functions.push(name);
      return;
    }
    if (
      keyPosition &&
      ((next === '=' && this.peek(1) !== '=' && this.peek(1) !== '>') || next === ':')
    ) {
      return; // object key
    }
    this.pos = save;
    if (KEYWORDS.has(name)) return;
    const parts = [name];
    while (this.peek() === '.') {
      const after = this.peek(1);
      if (isIdentStart(after)) {
        this.pos++;
        parts.push(this.readIdent());
      } else if (isDigit(after)) {
        this.pos++;
        const start = this.pos;
        while (isDigit(this.peek())) this.pos++;
        parts.push(this.src.slice(start, this.pos));
      } else if (after === '*') {
        this.pos += 2;
        parts.push('*');
      } else break;
    }
    if (this.isBound(name)) return;
    this.references.push({ parts, text: parts.join('.') });
  }
}

/** References, functions and syntax errors of a template string (the value of a JSON attribute). */
export function parseTemplate(template: string, bound: readonly string[] = []): ParsedTemplate {
  const s = new Scanner(template, bound);
  s.template(false);
  return { references: s.references, functions: s.functions, errors: s.errors };
}

/** The same for a bare expression (a `depends_on` entry, `replace_triggered_by` …). */
export function parseExpression(expression: string, bound: readonly string[] = []): ParsedTemplate {
  const s = new Scanner(expression, bound);
  s.expression(undefined);
  return { references: s.references, functions: s.functions, errors: s.errors };
}

/** Whether a string contains an interpolation or directive (not counting `$${` escapes). */
export function hasInterpolation(value: string): boolean {
  return /(^|[^$%])[$%]\{/.test(value);
}

/**
 * The top-level pieces of a template: text (with `$${`/`%%{` unescaped) and interpolation
 * sources. Directives are kept as text; callers that need them use parseTemplate.
 */
export function splitTemplate(template: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if ((c === '$' || c === '%') && template[i + 1] === c && template[i + 2] === '{') {
      text += `${c}{`;
      i += 3;
      continue;
    }
    if (c === '$' && template[i + 1] === '{') {
      const end = interpolationEnd(template, i + 2);
      if (text) segments.push({ kind: 'text', text });
      text = '';
      segments.push({
        kind: 'interpolation',
        expression: template
          .slice(i + 2, end)
          .replace(/^~|~$/g, '')
          .trim(),
      });
      i = end + 1;
      continue;
    }
    text += c;
    i++;
  }
  if (text) segments.push({ kind: 'text', text });
  return segments;
}

/** Index of the `}` that closes an interpolation starting at `start` (after `${`). */
function interpolationEnd(src: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\') i++;
        else if (src[i] === '$' && src[i + 1] === '{') {
          i = interpolationEnd(src, i + 2);
        }
        i++;
      }
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return src.length;
}

/** `aws_s3_bucket.b.arn` when the whole template is exactly one plain traversal, else undefined. */
export function soleTraversal(template: string): Reference | undefined {
  const segments = splitTemplate(template);
  if (segments.length !== 1 || segments[0].kind !== 'interpolation') return undefined;
  return traversalOf(segments[0].expression);
}

/** The traversal an expression consists of, if it is nothing else (no calls, operators, indexes). */
export function traversalOf(expression: string): Reference | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(expression.trim())) return undefined;
  const parts = expression.trim().split('.');
  return { parts, text: parts.join('.') };
}
