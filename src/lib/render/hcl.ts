// The one way an answer becomes HCL. Templates call `hcl(value)` and never
// concatenate user text into Terraform themselves.

export type HclValue = string | number | boolean | null | readonly HclValue[] | { readonly [key: string]: HclValue };

/**
 * A quoted HCL string literal whose parsed value is exactly `text` (for text in
 * Unicode NFC: HCL normalises every literal to NFC; answers are normalised first).
 * Escapes backslash, quote and control characters, and doubles the template
 * introducers `${` and `%{` so nothing in an answer is evaluated.
 */
export function hclString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const code = ch.charCodeAt(0);
    const next = text[i + 1];
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if ((ch === '$' || ch === '%') && next === '{') out += ch + ch;
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // Keep surrogate pairs together; a lone surrogate cannot be written as UTF-8.
      const pair = code <= 0xdbff && next !== undefined && next.charCodeAt(0) >= 0xdc00 && next.charCodeAt(0) <= 0xdfff;
      if (pair) {
        out += ch + next;
        i++;
      } else {
        out += '\ufffd';
      }
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * Render a value as an HCL expression. Lists and maps of scalars stay on one
 * line when short; longer ones get one element per line at `indent`.
 */
export function hcl(value: HclValue | undefined, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as an HCL number`);
    return String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => hcl(item, inner));
    const oneLine = `[${items.join(', ')}]`;
    if (oneLine.length <= 80 && !oneLine.includes('\n')) return oneLine;
    return `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, HclValue>);
  if (entries.length === 0) return '{}';
  // Keys are always quoted: a bare key would be read as a variable reference
  // inside parentheses and as a literal elsewhere, which is too subtle to rely on.
  const body = attributes(
    entries.map(([key, item]) => [hclString(key), hcl(item, inner)]),
    inner,
  );
  return `{\n${body}\n${indent}}`;
}

/**
 * Lines `name = expression` aligned the way `terraform fmt` aligns them:
 * consecutive one-line attributes share the column of their `=`; an attribute
 * whose value spans several lines is not padded and ends the run.
 */
export function attributes(entries: readonly (readonly [string, string])[], indent: string): string {
  const lines: string[] = [];
  let run: (readonly [string, string])[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(([name]) => name.length));
    for (const [name, expression] of run) lines.push(`${indent}${name.padEnd(width)} = ${expression}`);
    run = [];
  };
  for (const entry of entries) {
    if (entry[1].includes('\n')) {
      flush();
      lines.push(`${indent}${entry[0]} = ${entry[1]}`);
    } else run.push(entry);
  }
  flush();
  return lines.join('\n');
}

/**
 * A quoted HCL template: `pattern`'s literal text escaped as hclString escapes
 * it, each `{name}` of `expressions` interpolated as `${<expression>}` and each
 * `{name}` of `literals` written as (escaped) text. Names are the generator's
 * own (`{prefix}` → `var.resource_prefix`), never answers: an unknown name throws.
 * `"{prefix}nlb{suffix}"` → `"${var.resource_prefix}nlb${var.resource_suffix}"`.
 */
export function hclTemplate(pattern: string, expressions: Readonly<Record<string, string>>, literals: Readonly<Record<string, string>> = {}): string {
  let out = '"';
  let last = 0;
  const body = (text: string): string => hclString(text).slice(1, -1);
  for (const match of pattern.matchAll(/\{([a-z_]+)\}/g)) {
    out += body(pattern.slice(last, match.index));
    const name = match[1] as string;
    if (name in expressions) {
      const expression = expressions[name] as string;
      if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(expression)) throw new Error(`not a reference: ${expression}`);
      out += `\${${expression}}`;
    } else if (name in literals) out += body(literals[name] as string);
    else throw new Error(`no value for {${name}} in ${JSON.stringify(pattern)}`);
    last = (match.index as number) + match[0].length;
  }
  return `${out}${body(pattern.slice(last))}"`;
}

/** One step of a Terraform address: `module.<name>`, a resource `<type>.<name>`, and an instance key. */
export interface AddressStep {
  /** `module`, or a resource type. */
  kind: string;
  name: string;
  key?: string | number;
}

/** An HCL identifier as Terraform names modules and resources (letters, digits, `_` and `-`, not first a digit or `-`). */
export const HCL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** The instance keys an address is written with here: a count index, or a for_each key of letters, digits and `_ . -`. */
export const ADDRESS_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * A Terraform address (the `from` and `to` of a moved block) as HCL: it is a
 * reference, not a string, so it cannot be escaped; every part is checked
 * instead, and anything else throws. String keys are written with hclString.
 */
export function hclAddress(steps: readonly AddressStep[]): string {
  if (steps.length === 0) throw new Error('an empty address');
  return steps
    .map((step) => {
      if (!HCL_IDENTIFIER.test(step.kind) || !HCL_IDENTIFIER.test(step.name)) throw new Error(`not an address step: ${JSON.stringify(step)}`);
      let key = '';
      if (typeof step.key === 'number') {
        if (!Number.isSafeInteger(step.key) || step.key < 0) throw new Error(`not a count index: ${step.key}`);
        key = `[${step.key}]`;
      } else if (typeof step.key === 'string') {
        if (!ADDRESS_KEY.test(step.key)) throw new Error(`not an instance key written here: ${JSON.stringify(step.key)}`);
        key = `[${hclString(step.key)}]`;
      }
      return `${step.kind}.${step.name}${key}`;
    })
    .join('.');
}
