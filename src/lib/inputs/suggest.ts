// "Did you mean ...?" for misspelt names: answers-file keys, Terraform arguments.

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The option closest to `name`, if it is within `maxDistance` edits. */
export function closest(name: string, options: Iterable<string>, maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    // At least this many edits apart: skip the quadratic count for options that cannot be close (and for very long input).
    if (Math.abs(name.length - option.length) > maxDistance) continue;
    const d = editDistance(name, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}
