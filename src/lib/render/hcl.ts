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
