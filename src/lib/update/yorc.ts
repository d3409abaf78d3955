// .yo-rc.json is Yeoman's file, shared by every generator run in a directory:
// each keeps its settings under its own key. The engine changes only the value
// of its own key, in place; every other byte of the file stays as it was.

/** The span of one top-level member's value in the file's text. */
interface Member {
  key: string;
  start: number;
  end: number;
}

const WS = /[ \t\r\n]/;

/** Top-level members of a JSON object text (already known to parse), with their value spans. */
function members(text: string): { open: number; close: number; list: Member[] } {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.test(text[i]!)) i++;
  };
  const string = (): void => {
    i++; // opening quote
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const value = (): void => {
    if (text[i] === '"') return string();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      do {
        if (text[i] === '"') {
          string();
          continue;
        }
        if (text[i] === '{' || text[i] === '[') depth++;
        else if (text[i] === '}' || text[i] === ']') depth--;
        i++;
      } while (depth > 0);
      return;
    }
    while (i < text.length && !/[,}\]\s]/.test(text[i]!)) i++;
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  skip();
  const open = i;
  i++;
  const list: Member[] = [];
  for (;;) {
    skip();
    if (text[i] === '}') break;
    const keyStart = i;
    string();
    const key = JSON.parse(Buffer.from(text.slice(keyStart, i), 'latin1').toString('utf8')) as string;
    skip();
    i++; // ':'
    skip();
    const start = i;
    value();
    list.push({ key, start, end: i });
    skip();
    if (text[i] === ',') i++;
  }
  return { open, close: i, list };
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/** Whether two JSON values are equal, whatever the order of object keys. */
export const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/**
 * .yo-rc.json with `key`'s value set to `value` (`file` undefined: there was
 * none). Other members are kept byte for byte (the file is handled as bytes:
 * JSON's structure is ASCII); ours is written as Yeoman writes (two-space
 * indent, UTF-8), in the file's own line ending.
 */
export function setSection(file: Buffer | undefined, key: string, value: unknown): Buffer {
  const text = file?.toString('latin1');
  if (text === undefined || text.trim() === '') return Buffer.from(`${JSON.stringify({ [key]: value }, null, 2)}\n`);
  const eol = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text) ? '\r\n' : '\n';
  const json = Buffer.from(JSON.stringify(value, null, 2), 'utf8').toString('latin1').replace(/\n/g, `${eol}  `);
  const { close, list } = members(text);
  const ours = list.filter((member) => member.key === key).at(-1);
  const last = list.at(-1);
  const entry = `${JSON.stringify(key)}: ${json}`;
  const result = ours
    ? text.slice(0, ours.start) + json + text.slice(ours.end)
    : last === undefined
      ? `${text.slice(0, close).replace(/\s*$/, '')}${eol}  ${entry}${eol}${text.slice(close)}`
      : `${text.slice(0, last.end)},${eol}  ${entry}${text.slice(last.end)}`;
  return Buffer.from(result, 'latin1');
}
