import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { deterministicZip, tableCrc32 } from '../src/lib/render/zip.js';
import { tempDir } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_PY = join(ROOT, 'templates', 'functions', 'build.py');
const INDEX_PY = join(ROOT, 'templates', 'functions', 'db_migrate', 'index.py');
const CHECK_COMMAND = 'run: python3 functions/build.py';

const PYTHON = 'python3';
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
const needsPython = hasPython ? {} : { skip: 'python3 not found on PATH: Python cross-checks skipped' };

const tmp = (): string => tempDir('zip-');

function python(args: string[], options: { cwd?: string; input?: Uint8Array } = {}) {
  const result = spawnSync(PYTHON, args, { cwd: options.cwd, input: options.input, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

/** A temp copy of the generated repo's functions/ directory; returns its root. */
function functionsRepo(files: Record<string, string | Uint8Array> = { 'index.py': readFileSync(INDEX_PY) }): string {
  const root = tmp();
  mkdirSync(join(root, 'functions', 'db_migrate'), { recursive: true });
  copyFileSync(BUILD_PY, join(root, 'functions', 'build.py'));
  for (const [name, data] of Object.entries(files)) {
    const path = join(root, 'functions', 'db_migrate', ...name.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  return root;
}

interface Parsed {
  name: string;
  data: Buffer;
  local: { version: number; flags: number; method: number; time: number; date: number; crc: number; extra: number };
  central: { madeBy: number; version: number; flags: number; method: number; time: number; date: number; crc: number; extra: number; comment: number; disk: number; internal: number; external: number };
}

/** Minimal reader: the end record, then every central header and the local header it points to. */
function parse(zip: Buffer): { entries: Parsed[]; comment: number } {
  const end = zip.length - 22;
  assert.equal(zip.readUInt32LE(end), 0x06054b50, 'end of central directory at the very end (no comment)');
  const count = zip.readUInt16LE(end + 10);
  assert.equal(zip.readUInt16LE(end + 8), count);
  const size = zip.readUInt32LE(end + 12);
  let at = zip.readUInt32LE(end + 16);
  assert.equal(at + size, end, 'central directory ends where the end record starts');
  const entries: Parsed[] = [];
  let expectedOffset = 0;
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const central = {
      madeBy: zip.readUInt16LE(at + 4),
      version: zip.readUInt16LE(at + 6),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      extra: zip.readUInt16LE(at + 30),
      comment: zip.readUInt16LE(at + 32),
      disk: zip.readUInt16LE(at + 34),
      internal: zip.readUInt16LE(at + 36),
      external: zip.readUInt32LE(at + 38),
    };
    const sizes = [zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 24)];
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength);
    at += 46 + nameLength + central.extra + central.comment;

    assert.equal(offset, expectedOffset, 'local headers are contiguous, in central-directory order');
    assert.equal(zip.readUInt32LE(offset), 0x04034b50);
    const local = {
      version: zip.readUInt16LE(offset + 4),
      flags: zip.readUInt16LE(offset + 6),
      method: zip.readUInt16LE(offset + 8),
      time: zip.readUInt16LE(offset + 10),
      date: zip.readUInt16LE(offset + 12),
      crc: zip.readUInt32LE(offset + 14),
      extra: zip.readUInt16LE(offset + 28),
    };
    assert.deepEqual([zip.readUInt32LE(offset + 18), zip.readUInt32LE(offset + 22)], sizes, 'local sizes match central sizes');
    assert.equal(zip.readUInt16LE(offset + 26), nameLength);
    assert.deepEqual(zip.subarray(offset + 30, offset + 30 + nameLength), name);
    const start = offset + 30 + nameLength + local.extra;
    assert.equal(sizes[0], sizes[1], 'stored: compressed size = size');
    const data = zip.subarray(start, start + sizes[1]!);
    expectedOffset = start + sizes[1]!;
    entries.push({ name: name.toString('utf8'), data, local, central });
  }
  assert.equal(expectedOffset, zip.readUInt32LE(end + 16), 'central directory follows the last file');
  return { entries, comment: zip.readUInt16LE(end + 20) };
}

const SAMPLE = [
  { name: 'index.py', data: 'print("hi")\n' },
  { name: 'lib/util.py', data: new Uint8Array([0, 1, 2, 255]) },
  { name: 'empty', data: '' },
  { name: 'ﬁ.txt', data: 'U+FB01 sorts after the surrogate pair of U+1F600 by code unit' },
  { name: '😀.txt', data: 'é' },
  { name: 'Z', data: 'upper case sorts first' },
];

describe('deterministicZip', () => {
  it('gives identical bytes across calls and for any entry order, without touching its input', () => {
    const input = [...SAMPLE];
    const first = deterministicZip(input);
    assert.deepEqual(input, SAMPLE, 'input array is not reordered');
    assert.ok(first.equals(deterministicZip(SAMPLE)));
    assert.ok(first.equals(deterministicZip([...SAMPLE].reverse())));
    assert.ok(first.equals(deterministicZip([SAMPLE[3]!, SAMPLE[0]!, SAMPLE[5]!, SAMPLE[2]!, SAMPLE[4]!, SAMPLE[1]!])));
    assert.ok(!first.equals(deterministicZip([...SAMPLE.slice(1), { name: 'index.py', data: 'print("hi") \n' }])), 'contents matter');
  });

  it('writes stored entries in code-unit order, dated 1980-01-01, Unix 0644, with no extras or comments', () => {
    const { entries, comment } = parse(deterministicZip(SAMPLE));
    assert.equal(comment, 0);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['Z', 'empty', 'index.py', 'lib/util.py', '😀.txt', 'ﬁ.txt'],
    );
    for (const entry of entries) {
      const source = SAMPLE.find((s) => s.name === entry.name)!;
      const bytes = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : Buffer.from(source.data);
      assert.deepEqual(entry.data, bytes, entry.name);
      const flags = /^[\x00-\x7f]*$/.test(entry.name) ? 0 : 0x800;
      assert.deepEqual(entry.local, { version: 20, flags, method: 0, time: 0, date: 0x21, crc: tableCrc32(bytes), extra: 0 }, entry.name);
      assert.deepEqual(
        entry.central,
        { madeBy: 0x0314, version: 20, flags, method: 0, time: 0, date: 0x21, crc: tableCrc32(bytes), extra: 0, comment: 0, disk: 0, internal: 0, external: 0x81a40000 },
        entry.name,
      );
    }
    assert.deepEqual(entries.find((e) => e.name === '😀.txt')!.data, Buffer.from([0xc3, 0xa9]), 'strings are UTF-8');
  });

  it('matches a golden archive written by Python zipfile', () => {
    // sha256 of what zipfile writes for these entries with build.py's ZipInfo settings.
    const zip = deterministicZip([
      { name: 'hello.txt', data: 'hello\n' },
      { name: 'dir/é.txt', data: new Uint8Array([0, 1, 255]) },
    ]);
    assert.equal(zip.length, 221);
    assert.equal(createHash('sha256').update(zip).digest('hex'), '1d79c23ae8f1cf4528c7389a2052d3456ffd2ec75973de38648a7249e7902b7a');
  });

  it('writes a valid empty archive', () => {
    assert.deepEqual(deterministicZip([]), Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]));
  });

  it('computes CRC-32 without zlib the same as with it', () => {
    assert.equal(tableCrc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(tableCrc32(new Uint8Array()), 0);
    if (typeof zlib.crc32 === 'function') {
      let seed = 1;
      for (const length of [1, 2, 7, 255, 4096]) {
        const data = Uint8Array.from({ length }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
        assert.equal(tableCrc32(data), zlib.crc32(data), `length ${length}`);
      }
    }
  });

  it('refuses names that are unsafe, ambiguous or duplicated', () => {
    const cases: [string, RegExp][] = [
      ['', /non-empty/],
      ['a\\b.py', /backslash/],
      ['/etc/passwd', /leading '\/'/],
      ['../evil.py', /'\.\.' segment/],
      ['a/../../evil.py', /'\.\.' segment/],
      ['a/./b.py', /'\.' segment/],
      ['a//b.py', /empty segment/],
      ['dir/', /empty segment/],
      ['a\0b', /NUL/],
      ['bad\uD800.py', /lone surrogate/],
    ];
    for (const [name, message] of cases) {
      assert.throws(() => deterministicZip([{ name: 'ok.py', data: '' }, { name, data: 'x' }]), message, JSON.stringify(name));
    }
    assert.throws(() => deterministicZip([{ name: 'a.py', data: '1' }, { name: 'b.py', data: '' }, { name: 'a.py', data: '2' }]), /duplicate entry name "a\.py"/);
    assert.throws(() => deterministicZip([{ name: 'a.py', data: 'x\uDC00' }]), /not well-formed Unicode/);
    // Names that merely look odd are fine.
    assert.equal(parse(deterministicZip([{ name: '.hidden', data: '' }, { name: 'a..b/c...py', data: '' }])).entries.length, 2);
  });

  it('refuses archives beyond zip32 limits instead of writing ZIP64', () => {
    assert.throws(() => deterministicZip([{ name: 'n'.repeat(0x10000), data: '' }]), /name of 65536 bytes exceeds the zip32 limit/);
    assert.doesNotThrow(() => deterministicZip([{ name: 'n'.repeat(0xffff), data: '' }]));
    const many = Array.from({ length: 0x10000 }, (_, i) => ({ name: `f${i}`, data: '' }));
    assert.throws(() => deterministicZip(many), /65536 entries exceed the zip32 limit of 65535/);
  });
});

describe('deterministicZip and python3', () => {
  it('is read back by zipfile: names, contents, CRCs, dates, modes', needsPython, () => {
    const script = `
import io, json, sys, zipfile
with zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())) as z:
    print(json.dumps({"bad": z.testzip(), "comment": z.comment.hex(), "entries": [
        {"name": i.filename, "data": z.read(i).hex(), "date_time": list(i.date_time), "mode": i.external_attr >> 16,
         "system": i.create_system, "compress_type": i.compress_type, "extra": i.extra.hex()}
        for i in z.infolist()]}))
`;
    const result = python(['-c', script], { input: deterministicZip(SAMPLE) });
    assert.equal(result.status, 0, result.stderr);
    const read = JSON.parse(result.stdout) as { bad: string | null; comment: string; entries: { name: string; data: string }[] };
    assert.equal(read.bad, null, 'testzip() found no CRC error');
    assert.equal(read.comment, '');
    assert.deepEqual(read.entries.map((e) => e.name), ['Z', 'empty', 'index.py', 'lib/util.py', '😀.txt', 'ﬁ.txt']);
    for (const entry of read.entries) {
      const source = SAMPLE.find((s) => s.name === entry.name)!;
      assert.deepEqual(entry, {
        name: source.name,
        data: Buffer.from(source.data).toString('hex'),
        date_time: [1980, 1, 1, 0, 0, 0],
        mode: 0o100644,
        system: 3,
        compress_type: 0,
        extra: '',
      });
    }
  });

  it('functions/build.py builds the same bytes for the real index.py, from any working directory', needsPython, () => {
    const root = functionsRepo();
    try {
      const result = python([join(root, 'functions', 'build.py')], { cwd: join(root, 'functions', 'db_migrate') });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /wrote functions\/db_migrate\.zip/);
      const built = readFileSync(join(root, 'functions', 'db_migrate.zip'));
      assert.ok(built.equals(deterministicZip([{ name: 'index.py', data: readFileSync(INDEX_PY, 'utf8') }])), 'python and TypeScript zips differ');
      assert.ok(!existsSync(join(root, 'functions', 'db_migrate.zip.tmp')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('functions/build.py packs every regular file below db_migrate/, in the same order and bytes', needsPython, () => {
    const packed = {
      'index.py': readFileSync(INDEX_PY),
      'lib/util.py': new Uint8Array([0, 1, 2, 255]),
      'lib/deep/data.json': '{}\n',
      empty: '',
      'ﬁ.txt': 'fi',
      '😀.txt': 'é',
    };
    const root = functionsRepo({ ...packed, '__pycache__/index.cpython-311.pyc': 'x', 'lib/__pycache__/util.pyc': 'x', 'stale.pyc': 'x' });
    try {
      const expected = Object.entries(packed).map(([name, data]) => ({ name, data }));
      try {
        symlinkSync('index.py', join(root, 'functions', 'db_migrate', 'link.py'));
      } catch {
        // no symlinks here (e.g. Windows without privilege): nothing to skip
      }
      const result = python([join(root, 'functions', 'build.py')], { cwd: root });
      assert.equal(result.status, 0, result.stderr);
      const built = readFileSync(join(root, 'functions', 'db_migrate.zip'));
      assert.deepEqual(parse(built).entries.map((e) => e.name), ['empty', 'index.py', 'lib/deep/data.json', 'lib/util.py', '😀.txt', 'ﬁ.txt']);
      assert.ok(built.equals(deterministicZip([...expected].reverse())), 'python and TypeScript zips differ');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('functions/build.py --check passes when up to date and fails, naming the command, when not', needsPython, () => {
    const root = functionsRepo();
    const check = () => python(['functions/build.py', '--check'], { cwd: root });
    try {
      let result = check();
      assert.equal(result.status, 1, 'a missing zip is out of date');
      assert.ok(result.stderr.includes(CHECK_COMMAND), result.stderr);

      assert.equal(python(['functions/build.py'], { cwd: root }).status, 0);
      result = check();
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /up to date/);

      const index = join(root, 'functions', 'db_migrate', 'index.py');
      writeFileSync(index, readFileSync(index, 'utf8') + '\n# edited\n');
      result = check();
      assert.equal(result.status, 1);
      assert.ok(
        result.stderr.includes('functions/db_migrate.zip is out of date with functions/db_migrate/; run: python3 functions/build.py'),
        result.stderr,
      );

      // A zip written by the generator (TypeScript) for the edited source passes the check.
      writeFileSync(join(root, 'functions', 'db_migrate.zip'), deterministicZip([{ name: 'index.py', data: readFileSync(index) }]));
      assert.equal(check().status, 0);

      assert.equal(python(['functions/build.py', '--bogus'], { cwd: root }).status, 2, 'unknown arguments are a usage error');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
