// Deterministic zip archives, for the AWS Lambda package of the DB-migration
// function (functions/db_migrate.zip in the generated repository).
//
// Terraform deploys that package by `filename` and detects changes through
// `source_code_hash`, so the zip must be a pure function of its sources: the
// same files must give the same bytes on every machine, Node version and day,
// or every `terraform plan` would show a spurious Lambda update. Ordinary zip
// writers leak the clock (timestamps), the file system (entry order, modes,
// owner extra fields) and the zlib version (deflate output). This writer leaks
// none of them:
//
//   - entries are sorted by name in UTF-16 code-unit order (a copy is sorted);
//   - every entry is STORED (method 0), so no compressor is involved;
//   - every entry is dated 1980-01-01 00:00:00 (the DOS epoch);
//   - "version made by" is Unix/2.0 (3 << 8 | 20), external attributes are a
//     regular file with mode 0644 (0o100644 << 16);
//   - no extra fields, no data descriptors, no comments; names are UTF-8 with
//     general-purpose flag bit 11 set only when a name is not ASCII.
//
// The generated repository ships functions/build.py, which rebuilds the same
// archive with Python's zipfile, so users can rebuild or check it with only
// python3. The two must agree byte for byte, so this file follows exactly what
// zipfile writes for a ZipInfo with those settings, including where zipfile
// would switch to ZIP64 (which is refused here instead).

import * as zlib from 'node:zlib';

// zipfile's thresholds (ZIP64_LIMIT, ZIP_FILECOUNT_LIMIT): beyond them Python
// writes ZIP64 records, which this writer does not produce.
const ZIP64_LIMIT = 0x7fffffff;
const MAX_ENTRIES = 0xffff;
const MAX_NAME_BYTES = 0xffff;

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const VERSION = 20; // 2.0: stored files, no ZIP64
const MADE_BY = (3 << 8) | VERSION; // Unix
const UTF8_FLAG = 1 << 11;
const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const EXTERNAL_ATTR = (0o100644 << 16) >>> 0; // regular file, rw-r--r--

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

let table: Uint32Array | undefined;

/** CRC-32 (IEEE) in plain JavaScript; used when zlib.crc32 is missing (Node < 20.15). Exported for tests. */
export function tableCrc32(data: Uint8Array): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function crc32(data: Uint8Array): number {
  return typeof zlib.crc32 === 'function' ? zlib.crc32(data) >>> 0 : tableCrc32(data);
}

function checkName(name: unknown): asserts name is string {
  const fail = (why: string): never => {
    throw new Error(`deterministicZip: invalid entry name ${JSON.stringify(name)}: ${why}`);
  };
  if (typeof name !== 'string' || name === '') fail('must be a non-empty string');
  const text = name as string;
  if (text.includes('\0')) fail('contains a NUL character');
  if (text.includes('\\')) fail("contains a backslash; use '/' to separate directories");
  if (text.startsWith('/')) fail("must be relative (no leading '/')");
  if (LONE_SURROGATE.test(text)) fail('is not well-formed Unicode (lone surrogate)');
  for (const segment of text.split('/')) {
    if (segment === '..') fail("contains a '..' segment");
    if (segment === '.') fail("contains a '.' segment");
    if (segment === '') fail("contains an empty segment ('//' or a trailing '/'); only files can be stored");
  }
}

/**
 * A zip archive of `entries` whose bytes depend on nothing but the entries'
 * names and contents (see the comment at the top of this file), identical to
 * what templates/functions/build.py writes with Python's zipfile. Names are
 * '/'-separated relative paths; string data is encoded as UTF-8. Throws on
 * invalid or duplicate names and on anything that would need ZIP64.
 */
export function deterministicZip(entries: readonly { name: string; data: string | Uint8Array }[]): Buffer {
  if (entries.length > MAX_ENTRIES) {
    throw new Error(`deterministicZip: ${entries.length} entries exceed the zip32 limit of ${MAX_ENTRIES}`);
  }
  for (const { name } of entries) checkName(name);
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files = sorted.map(({ name, data }, index) => {
    if (index > 0 && sorted[index - 1]!.name === name) {
      throw new Error(`deterministicZip: duplicate entry name ${JSON.stringify(name)}`);
    }
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > MAX_NAME_BYTES) {
      throw new Error(`deterministicZip: entry name of ${nameBytes.length} bytes exceeds the zip32 limit of ${MAX_NAME_BYTES}: ${JSON.stringify(name.slice(0, 40))}...`);
    }
    let bytes: Uint8Array;
    if (typeof data === 'string') {
      if (LONE_SURROGATE.test(data)) throw new Error(`deterministicZip: contents of ${JSON.stringify(name)} are not well-formed Unicode (lone surrogate)`);
      bytes = Buffer.from(data, 'utf8');
    } else if (data instanceof Uint8Array) {
      bytes = data;
    } else {
      throw new Error(`deterministicZip: contents of ${JSON.stringify(name)} must be a string or a Uint8Array`);
    }
    // zipfile switches to ZIP64 when size * 1.05 > ZIP64_LIMIT (same float arithmetic in both languages).
    if (bytes.length * 1.05 > ZIP64_LIMIT) {
      throw new Error(`deterministicZip: ${JSON.stringify(name)} (${bytes.length} bytes) exceeds the zip32 size limit`);
    }
    const ascii = nameBytes.length === name.length;
    return { nameBytes, bytes, flags: ascii ? 0 : UTF8_FLAG, offset: 0 };
  });

  let offset = 0;
  let centralSize = 0;
  for (const file of files) {
    if (offset > ZIP64_LIMIT) throw new Error('deterministicZip: archive exceeds the zip32 size limit');
    file.offset = offset;
    offset += LOCAL_HEADER + file.nameBytes.length + file.bytes.length;
    centralSize += CENTRAL_HEADER + file.nameBytes.length;
  }
  const centralOffset = offset;
  if (centralOffset > ZIP64_LIMIT || centralSize > ZIP64_LIMIT) {
    throw new Error('deterministicZip: archive exceeds the zip32 size limit');
  }

  const out = Buffer.alloc(centralOffset + centralSize + END_RECORD);
  let at = 0;
  const u16 = (value: number): void => {
    at = out.writeUInt16LE(value, at);
  };
  const u32 = (value: number): void => {
    at = out.writeUInt32LE(value >>> 0, at);
  };
  const copy = (bytes: Uint8Array): void => {
    out.set(bytes, at);
    at += bytes.length;
  };

  const crcs = files.map((file) => crc32(file.bytes));
  files.forEach((file, i) => {
    u32(0x04034b50); // local file header
    u16(VERSION); // version needed to extract
    u16(file.flags);
    u16(0); // method: stored
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(crcs[i]!);
    u32(file.bytes.length); // compressed size
    u32(file.bytes.length); // uncompressed size
    u16(file.nameBytes.length);
    u16(0); // extra field length
    copy(file.nameBytes);
    copy(file.bytes);
  });
  files.forEach((file, i) => {
    u32(0x02014b50); // central directory header
    u16(MADE_BY);
    u16(VERSION);
    u16(file.flags);
    u16(0); // method: stored
    u16(DOS_TIME);
    u16(DOS_DATE);
    u32(crcs[i]!);
    u32(file.bytes.length);
    u32(file.bytes.length);
    u16(file.nameBytes.length);
    u16(0); // extra field length
    u16(0); // comment length
    u16(0); // disk number start
    u16(0); // internal attributes
    u32(EXTERNAL_ATTR);
    u32(file.offset);
    copy(file.nameBytes);
  });
  u32(0x06054b50); // end of central directory
  u16(0); // this disk
  u16(0); // disk with the central directory
  u16(files.length);
  u16(files.length);
  u32(centralSize);
  u32(centralOffset);
  u16(0); // comment length
  if (at !== out.length) throw new Error(`deterministicZip: internal error, wrote ${at} of ${out.length} bytes`);
  return out;
}
