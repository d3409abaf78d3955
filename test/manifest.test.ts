import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classify, digest, manifestOf, planWrites, readManifest } from '../src/lib/manifest.js';

describe('manifest', () => {
  it('classifies a file against the disk and the last run', () => {
    assert.equal(classify('new', undefined, undefined), 'create');
    assert.equal(classify('same', 'same', digest('old')), 'identical');
    assert.equal(classify('new', 'old', digest('old')), 'update');
    assert.equal(classify('new', 'mine', digest('old')), 'modified');
    assert.equal(classify('new', 'old', undefined), 'modified', 'no record: assume it is the user\'s');
  });
  it('plans writes over a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    writeFileSync(join(dir, 'a.tf'), 'old a');
    writeFileSync(join(dir, 'b.tf'), 'edited b');
    const files = new Map([
      ['a.tf', 'new a'],
      ['b.tf', 'new b'],
      ['c.tf', 'new c'],
    ]);
    const plan = planWrites(files, dir, { 'a.tf': digest('old a'), 'b.tf': digest('old b') });
    assert.deepEqual(plan, [
      { path: 'a.tf', status: 'update' },
      { path: 'b.tf', status: 'modified' },
      { path: 'c.tf', status: 'create' },
    ]);
  });
  it('reads only well-formed records', () => {
    assert.deepEqual(readManifest({ files: { 'a.tf': digest('x'), 'b.tf': 3, 'c.tf': 'md5:1' } }), { 'a.tf': digest('x') });
    assert.deepEqual(readManifest({ files: [] }), {});
    assert.deepEqual(readManifest(undefined), {});
    assert.deepEqual(Object.keys(manifestOf(new Map([['x', '1']]))), ['x']);
  });
});
