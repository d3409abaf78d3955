// The answers live in .yo-rc.json; examples/complete/terraform.tfvars is
// written from them. An edit there stays (the merge keeps it) but is not an
// answer, so every run says where the file and the answers part ways.
import { INPUT_BY_NAME, flagName } from '../inputs/catalogue.js';

export const ANSWERS_TFVARS = 'examples/complete/terraform.tfvars';

/** name → its assignment's text (value lines joined, spacing collapsed), for the `name = value` lines of a tfvars file. */
function assignments(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const start = /^([A-Za-z_][A-Za-z0-9_-]*)\s*=(.*)$/.exec(line);
    if (start) {
      current = start[1]!;
      found.set(current, (start[2] ?? '').trim());
    } else if (current !== undefined && /^\s+\S|^[}\]]/.test(line) && !/^\s*(#|\/\/)/.test(line)) {
      found.set(current, `${found.get(current)} ${line.trim()}`);
    } else current = undefined;
  }
  for (const [name, value] of found) found.set(name, value.replace(/\s+/g, ' '));
  return found;
}

/** The inputs whose assignment in `onDisk` differs from the one written from the answers (`rendered`). */
export function driftedAnswers(onDisk: string, rendered: string): string[] {
  const mine = assignments(onDisk);
  const theirs = assignments(rendered);
  return [...new Set([...theirs.keys(), ...mine.keys()])].filter((name) => INPUT_BY_NAME.has(name) && mine.get(name) !== theirs.get(name)).sort();
}

/** What to tell the user, or undefined when the file says what the answers say. */
export function driftNote(onDisk: string | undefined, rendered: string | undefined): string | undefined {
  if (onDisk === undefined || rendered === undefined) return undefined;
  const names = driftedAnswers(onDisk, rendered);
  if (names.length === 0) return undefined;
  const flags = names.map((name) => `--${flagName(INPUT_BY_NAME.get(name)!)} <value>`).join(' ');
  return (
    `${ANSWERS_TFVARS} differs from your answers (.yo-rc.json) for ${names.join(', ')}: an edit there stays, but it is not an answer, ` +
    `so .yo-rc.json, the summary and CHANGELOG.md do not know it. To make it one, run again with ${flags}.`
  );
}
