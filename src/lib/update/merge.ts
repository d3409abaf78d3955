// Three-way merge of text files, line by line (node-diff3): ours = the file on
// disk, base = what the generator wrote last time, theirs = the new render.
import { mergeDiff3 } from 'node-diff3';

export interface MergeResult {
  text: string;
  conflict: boolean;
}

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

const lines = (text: string): string[] => text.split('\n');

/** Merge; conflicts are written with standard diff3 markers (<<<<<<<, |||||||, =======, >>>>>>>). */
export function threeWay(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  if (ours === theirs) return { text: ours, conflict: false };
  if (ours === base) return { text: theirs, conflict: false };
  if (theirs === base) return { text: ours, conflict: false };
  const { conflict, result } = mergeDiff3(lines(ours), lines(base), lines(theirs), {
    excludeFalseConflicts: true,
    label: { a: labels.ours, o: labels.base, b: labels.theirs },
  }) as { conflict: boolean; result: string[] };
  return { text: result.join('\n'), conflict };
}

/** Whether a text still holds conflict markers at the start of a line. */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|>{7}|\|{7}) /m.test(text) || /^={7}$/m.test(text);
}
