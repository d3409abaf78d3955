// The words that mean yes and no, wherever a person types a boolean: a flag's
// value (--api-basic-auth no), an answer at a prompt, a value yo hands over.

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/** true/yes/y/1/on or false/no/n/0/off, in any case, spaces around ignored; undefined for any other text. */
export function booleanWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  return TRUE.has(word) ? true : FALSE.has(word) ? false : undefined;
}
