// Line merges of bytes (node-diff3): ours = the file on disk, base = what the
// generator wrote last time, theirs = the new render. Inputs are LF; the
// bytes of each line are kept exactly (Latin-1 transport), so a file in any
// encoding merges without a byte changed outside the conflicts.
import { diffIndices, mergeDiff3 } from 'node-diff3';
import { binaryString, fromBinaryString } from './text.js';

export interface MergeResult {
  bytes: Buffer;
  conflict: boolean;
}

/** Where each side came from, after the marker: `<<<<<<< yours`, `||||||| last generated (0.1.0)`, `>>>>>>> new (0.2.0)`. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

const lines = (bytes: Buffer): string[] => binaryString(bytes).split('\n');
const label = (text: string): string => binaryString(Buffer.from(text, 'utf8'));
const join = (result: readonly string[]): Buffer => fromBinaryString(result.join('\n'));

/** 3-way merge; conflicts get standard diff3 markers (<<<<<<<, |||||||, =======, >>>>>>>). */
export function threeWay(ours: Buffer, base: Buffer, theirs: Buffer, labels: MergeLabels): MergeResult {
  if (ours.equals(theirs) || theirs.equals(base)) return { bytes: ours, conflict: false };
  if (ours.equals(base)) return { bytes: theirs, conflict: false };
  const { conflict, result } = mergeDiff3(lines(ours), lines(base), lines(theirs), {
    excludeFalseConflicts: true,
    label: { a: label(labels.ours), o: label(labels.base), b: label(labels.theirs) },
  }) as { conflict: boolean; result: string[] };
  return { bytes: join(result), conflict };
}

/**
 * 2-way merge, for a file with no known base (there before the generator, or
 * edited under a release that kept no copy): lines both sides share stay as
 * they are, and every place where they differ is a conflict with both sides.
 */
export function twoWay(ours: Buffer, theirs: Buffer, labels: Pick<MergeLabels, 'ours' | 'theirs'>): MergeResult {
  if (ours.equals(theirs)) return { bytes: ours, conflict: false };
  const a = lines(ours);
  const b = lines(theirs);
  const out: string[] = [];
  let at = 0;
  for (const hunk of diffIndices(a, b)) {
    const [start, length] = hunk.buffer1;
    out.push(...a.slice(at, start));
    out.push(`<<<<<<< ${label(labels.ours)}`, ...hunk.buffer1Content, '=======', ...hunk.buffer2Content, `>>>>>>> ${label(labels.theirs)}`);
    at = start + length;
  }
  out.push(...a.slice(at));
  return { bytes: join(out), conflict: true };
}
