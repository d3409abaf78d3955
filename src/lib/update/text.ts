// Files as bytes. The engine never decodes a file to compare, merge or write
// it: a user's file in Latin-1 (or any bytes) survives exactly. Lines are the
// bytes between '\n'; a file whose every '\n' follows a '\r' is a CRLF file
// (a Windows checkout), compared and merged on its LF form and written back
// with CRLF.
import { createHash } from 'node:crypto';

export type Eol = '\n' | '\r\n';

export const bytesOf = (contents: string | Uint8Array): Buffer =>
  typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.isBuffer(contents) ? contents : Buffer.from(contents);

export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(bytesOf(contents)).digest('hex');
}

/** One character per byte (Latin-1): a lossless way to hand bytes to line-based tools. */
export const binaryString = (bytes: Buffer): string => bytes.toString('latin1');
export const fromBinaryString = (text: string): Buffer => Buffer.from(text, 'latin1');

/** CRLF when the file has line breaks and every one of them is "\r\n". */
export function eolOf(bytes: Buffer): Eol {
  let lf = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
    if (i === 0 || bytes[i - 1] !== 13) return '\n';
    lf++;
  }
  return lf > 0 ? '\r\n' : '\n';
}

/** The LF form of a file: a CRLF file's "\r\n" become "\n"; anything else as it is. */
export function toLf(bytes: Buffer): Buffer {
  return eolOf(bytes) === '\r\n' ? fromBinaryString(binaryString(bytes).replace(/\r\n/g, '\n')) : bytes;
}

/** LF bytes written with `eol`. */
export function withEol(lf: Buffer, eol: Eol): Buffer {
  return eol === '\n' ? lf : fromBinaryString(binaryString(lf).replace(/\n/g, '\r\n'));
}

/** Whether two files are the same text, whatever their line endings. */
export const sameText = (a: Buffer, b: Buffer): boolean => a.equals(b) || toLf(a).equals(toLf(b));

/** The digest a file is recorded under: of its LF form. */
export const textDigest = (bytes: Buffer): string => sha256(toLf(bytes));

const OPEN = /^<{7}(?: |\r?$)/;
const BASE = /^\|{7}(?: |\r?$)/;
const SPLIT = /^={7}\r?$/;
const CLOSE = /^>{7}(?: |\r?$)/;

/**
 * Whether a file holds a complete set of conflict markers, in order:
 * `<<<<<<<`, optionally `|||||||`, then `=======` and `>>>>>>>`, each at the
 * start of a line. A lone `=======` (a Markdown heading's underline) is not one.
 */
export function hasConflictMarkers(contents: Buffer | string): boolean {
  const text = typeof contents === 'string' ? contents : binaryString(contents);
  if (!text.includes('<<<<<<<')) return false;
  let state: 'outside' | 'ours' | 'base' | 'theirs' = 'outside';
  for (const line of text.split('\n')) {
    if (OPEN.test(line)) state = 'ours';
    else if (state === 'ours' && BASE.test(line)) state = 'base';
    else if ((state === 'ours' || state === 'base') && SPLIT.test(line)) state = 'theirs';
    else if (state === 'theirs' && CLOSE.test(line)) return true;
  }
  return false;
}

/** Text for people (diffs, messages): UTF-8 when the bytes are UTF-8, else undefined. */
export function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
