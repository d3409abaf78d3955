// What the generator last wrote into a repository, kept in the repository so a
// re-run needs neither the old generator version nor the network:
//
//   .yo-rc.json            the answers and the generator version, under our key
//                          (Yeoman's shared file: other keys are never touched)
//   .generator/manifest    one line per generated file, as `sha256sum` writes:
//                          "<sha256 of its LF text>  <path>", or
//                          "<sha256 of its bytes> *<path>" for a built file
//   .generator/base/<sha256>  the text of each file as last generated (the
//                          merge base), base64: a find/replace over every file
//                          does not reach it, and its name is its digest, so a
//                          copy that was changed anyway is detected
//
// Older releases recorded differently, and are read so a repository they
// generated can be updated: the merge engine's first release kept every text in
// .generator-base.json; the releases before it kept only a sha256 per file in
// .yo-rc.json. Every record is checked before it is used: a wrong shape, an
// unsafe path or a changed base copy stops the run before anything is written.
import { RecordError, unsafePath, type Disk } from './paths.js';
import { sha256 } from './text.js';
import { compareVersions, isVersion } from './version.js';

export { RecordError };

export const STORE_KEY = 'generator-metaflow-metadata';
export const STORE_FILE = '.yo-rc.json';
export const RECORD_DIR = '.generator';
export const MANIFEST_FILE = '.generator/manifest';
export const BLOB_DIR = '.generator/base';
/** The merge engine's first release kept its base here. */
export const OLD_BASE_FILE = '.generator-base.json';
/** What the engine keeps out of git in its folder: the run's lock and journal. */
export const RECORD_IGNORE_FILE = '.generator/.gitignore';
export const RECORD_IGNORE = '# A run of the generator keeps these while it writes: never commit them.\n/lock*\n/journal\n.*.generator-tmp\n';

/** The manifest's format; a newer one is refused. */
export const RECORD_FORMAT = 1;
const HEADER = `# generator-metaflow-metadata record ${RECORD_FORMAT}`;
const PREAMBLE = [
  HEADER,
  '# What the generator wrote last time, the merge base of its next run (README.md, "Re-generating").',
  '# "<sha256>  <path>": the file\'s text (LF), kept in .generator/base/<sha256> (base64);',
  '# "<sha256> *<path>": a built file, known by the digest of its bytes. Checks with: sha256sum -c',
];

export interface BaseEntry {
  path: string;
  /** sha256 of the file's LF text as last generated (text), or of its bytes (built). */
  digest: string;
  /** More digests for this path: each side of a git merge conflict in the manifest. */
  others: string[];
  built: boolean;
  /** Whether the record holds the text itself (not only its digest). */
  stored: boolean;
}

export type RecordKind = 'none' | 'manifest' | 'base-json' | 'pre-merge';

export interface Recorded {
  kind: RecordKind;
  /** Our section of .yo-rc.json (undefined: none). */
  section?: Record<string, unknown>;
  /** The version that wrote the record ('' when not recorded). */
  version: string;
  /** Stored answers (undefined: none). */
  answers?: Record<string, unknown>;
  entries: Map<string, BaseEntry>;
  /** .yo-rc.json as read (undefined: no file). */
  store?: Buffer;
  /** The manifest's text as read (undefined: none). */
  manifest?: string;
  /** Base copies in .generator/base (file names). */
  blobs: Set<string>;
  /** Texts held in memory (an older .generator-base.json), by digest. */
  texts: Map<string, Buffer>;
  /** Things to tell the user about the record itself. */
  notes: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const describeJson = (value: unknown): string => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new RecordError(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); restore it from git. Nothing was written.`);
  }
}

function checkedPath(file: string, where: string, path: unknown): string {
  const problem = unsafePath(path);
  if (problem) throw new RecordError(`${file}: ${where}: ${JSON.stringify(path)} ${problem}; this record cannot be trusted: restore it from git. Nothing was written.`);
  return path as string;
}

/** The lines of a manifest, each entry with the side of a git merge conflict it sits in. */
function parseManifest(text: string): { entries: Map<string, BaseEntry>; conflicted: boolean } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const format = /^# generator-metaflow-metadata record (\d+)\b/.exec(lines[0] ?? '');
  if (!format) throw new RecordError(`${MANIFEST_FILE}:1: not a record of this generator (the first line should be "${HEADER}"); restore it from git. Nothing was written.`);
  if (Number(format[1]) > RECORD_FORMAT) {
    throw new RecordError(`${MANIFEST_FILE} is in record format ${format[1]}, written by a newer generator than this one (which reads format ${RECORD_FORMAT}): upgrade the generator. Nothing was written.`);
  }
  const entries = new Map<string, BaseEntry>();
  let side: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  let conflicted = false;
  lines.forEach((line, index) => {
    const at = `${MANIFEST_FILE}:${index + 1}`;
    if (/^<{7}( |$)/.test(line)) return void ((side = 'ours'), (conflicted = true));
    if (/^\|{7}( |$)/.test(line) && side === 'ours') return void (side = 'base');
    if (/^={7}$/.test(line) && (side === 'ours' || side === 'base')) return void (side = 'theirs');
    if (/^>{7}( |$)/.test(line) && side === 'theirs') return void (side = 'both');
    if (line === '' || line.startsWith('#') || side === 'base') return;
    const match = /^([0-9a-f]{64}) ([ *])(.*)$/.exec(line);
    if (!match) throw new RecordError(`${at}: not "<sha256>  <path>": ${JSON.stringify(line.slice(0, 120))}; restore the record from git. Nothing was written.`);
    const [, digest, mode, raw] = match as unknown as [string, string, string, string];
    const path = checkedPath(MANIFEST_FILE, `line ${index + 1}`, raw);
    const built = mode === '*';
    const known = entries.get(path);
    if (known === undefined) entries.set(path, { path, digest, others: [], built, stored: !built });
    else if (side === 'theirs' && known.digest !== digest && !known.others.includes(digest)) known.others.push(digest);
    else if (side !== 'theirs') throw new RecordError(`${at}: ${path} is listed twice; restore the record from git. Nothing was written.`);
  });
  if (side !== 'both') throw new RecordError(`${MANIFEST_FILE} has an unfinished conflict (a "<<<<<<<" without its ">>>>>>>"); resolve it (either side will do), then run again. Nothing was written.`);
  return { entries, conflicted };
}

/** The manifest's text for these entries. */
export function manifestText(entries: Iterable<Pick<BaseEntry, 'path' | 'digest' | 'built'>>): string {
  const lines = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((entry) => `${entry.digest} ${entry.built ? '*' : ' '}${entry.path}`);
  return `${[...PREAMBLE, ...lines].join('\n')}\n`;
}

/** A base copy as stored: base64, 76 characters a line. */
export function blobText(bytes: Buffer): string {
  return `${(bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}\n`;
}

/** The bytes of a stored base copy; throws RecordError when they are not what its name says. */
export function blobBytes(name: string, stored: Buffer, path: string): Buffer {
  const text = stored.toString('latin1').replace(/\s+/g, '');
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes === undefined || sha256(bytes) !== name) {
    throw new RecordError(
      `${BLOB_DIR}/${name}, the generator's copy of ${path} as it last wrote it, was changed (its content no longer has the digest that is its name: a find/replace over every file?). ` +
        `Restore it from git (git checkout -- ${BLOB_DIR}/${name}, or from the commit that added it: git log --diff-filter=A -- ${BLOB_DIR}/${name}), then run again. Nothing was written.`,
    );
  }
  return bytes;
}

function readSection(disk: Disk): { store?: Buffer; section?: Record<string, unknown> } {
  const store = disk.read(STORE_FILE);
  if (store === undefined) return {};
  const data = parseJson(STORE_FILE, store.toString('utf8'));
  if (!isObject(data)) throw new RecordError(`${STORE_FILE} is ${describeJson(data)}, not a JSON object of generators' settings; restore it from git. Nothing was written.`);
  const section = data[STORE_KEY];
  if (section === undefined) return { store };
  if (!isObject(section)) throw new RecordError(`${STORE_FILE}: "${STORE_KEY}" is ${describeJson(section)}, not an object with "version" and "answers"; restore it from git. Nothing was written.`);
  if (section.version !== undefined && !isVersion(section.version)) {
    throw new RecordError(`${STORE_FILE}: "${STORE_KEY}.version" is ${JSON.stringify(section.version)}, not a version such as "0.1.0"; restore it from git. Nothing was written.`);
  }
  if (section.answers !== undefined && !isObject(section.answers)) {
    throw new RecordError(`${STORE_FILE}: "${STORE_KEY}.answers" is ${describeJson(section.answers)}, not an object of answers; restore it from git. Nothing was written.`);
  }
  return { store, section };
}

/** Read and check every record in the target. Throws RecordError; reads nothing outside the target and no link. */
export function readRecord(disk: Disk): Recorded {
  const { store, section } = readSection(disk);
  const recorded: Recorded = {
    kind: 'none',
    section,
    version: typeof section?.version === 'string' ? section.version : '',
    answers: isObject(section?.answers) ? section.answers : undefined,
    entries: new Map(),
    store,
    blobs: new Set(),
    texts: new Map(),
    notes: [],
  };
  const needSection = (record: string): void => {
    if (section === undefined || recorded.answers === undefined || recorded.version === '') {
      throw new RecordError(
        `${STORE_FILE} ${store === undefined ? 'is missing' : `has no complete "${STORE_KEY}" section (version and answers)`}, but ${record} records an earlier run: restore ${STORE_FILE} from git. Nothing was written.`,
      );
    }
  };

  const manifest = disk.read(MANIFEST_FILE);
  if (manifest !== undefined) {
    const text = manifest.toString('utf8');
    const { entries, conflicted } = parseManifest(text);
    needSection(MANIFEST_FILE);
    for (const name of disk.list(BLOB_DIR)) {
      const file = name.slice(BLOB_DIR.length + 1);
      if (HEX64.test(file)) recorded.blobs.add(file);
    }
    for (const entry of entries.values()) {
      for (const digest of entry.stored ? [entry.digest, ...entry.others] : []) {
        if (!recorded.blobs.has(digest)) {
          throw new RecordError(`${MANIFEST_FILE} lists ${entry.path} with the base copy ${BLOB_DIR}/${digest}, which is missing: restore ${RECORD_DIR}/ from git. Nothing was written.`);
        }
      }
    }
    if (conflicted) recorded.notes.push(`${MANIFEST_FILE} holds a git merge conflict: each file's base is the side's copy it still matches (else the side that merges cleanly); this run writes the record again without the conflict.`);
    return { ...recorded, kind: 'manifest', entries, manifest: text };
  }

  const oldBase = disk.read(OLD_BASE_FILE);
  if (oldBase !== undefined) {
    const data = parseJson(OLD_BASE_FILE, oldBase.toString('utf8'));
    const old = isObject(data) ? data[STORE_KEY] : undefined;
    const shape = `${OLD_BASE_FILE} is not a merge base this generator wrote (expected {"${STORE_KEY}": {"version", "files", "artifacts"}})`;
    if (!isObject(old) || !isVersion(old.version) || !isObject(old.files) || !isObject(old.artifacts)) throw new RecordError(`${shape}; restore it from git. Nothing was written.`);
    needSection(OLD_BASE_FILE);
    for (const [path, text] of Object.entries(old.files)) {
      checkedPath(OLD_BASE_FILE, `files`, path);
      if (typeof text !== 'string') throw new RecordError(`${OLD_BASE_FILE}: files["${path}"] is ${describeJson(text)}, not the file's text; restore it from git. Nothing was written.`);
      const bytes = Buffer.from(text, 'utf8');
      const digest = sha256(bytes);
      recorded.texts.set(digest, bytes);
      recorded.entries.set(path, { path, digest, others: [], built: false, stored: true });
    }
    for (const [path, digest] of Object.entries(old.artifacts)) {
      checkedPath(OLD_BASE_FILE, 'artifacts', path);
      if (typeof digest !== 'string' || !HEX64.test(digest)) throw new RecordError(`${OLD_BASE_FILE}: artifacts["${path}"] is not a sha256; restore it from git. Nothing was written.`);
      recorded.entries.set(path, { path, digest, others: [], built: true, stored: false });
    }
    recorded.notes.push(`${OLD_BASE_FILE} (the record of ${recorded.version}) becomes ${RECORD_DIR}/: a small line-per-file manifest and a copy of each file.`);
    return { ...recorded, kind: 'base-json' };
  }

  if (section?.files !== undefined) {
    // The releases before the merge engine: a digest per file, no copy.
    if (!isObject(section.files)) throw new RecordError(`${STORE_FILE}: "${STORE_KEY}.files" is ${describeJson(section.files)}, not an object of file digests; restore it from git. Nothing was written.`);
    needSection(`${STORE_FILE} ("files")`);
    for (const [path, value] of Object.entries(section.files)) {
      checkedPath(STORE_FILE, `"${STORE_KEY}.files"`, path);
      const digest = typeof value === 'string' ? /^sha256:([0-9a-f]{64})$/.exec(value)?.[1] : undefined;
      if (digest === undefined) throw new RecordError(`${STORE_FILE}: "${STORE_KEY}.files" entry ${path} is ${JSON.stringify(value)}, not "sha256:<64 hex digits>"; restore it from git. Nothing was written.`);
      recorded.entries.set(path, { path, digest, others: [], built: path.endsWith('.zip'), stored: false });
    }
    recorded.notes.push(`${STORE_FILE} was written by a release before the merge engine (a digest per file, no copy): files that still match are updated as usual; a file you edited since is merged without a base.`);
    return { ...recorded, kind: 'pre-merge' };
  }
  return recorded;
}

/** Throws when the record was written by a newer generator than `running` (unless forced). */
export function checkVersion(recorded: Recorded, running: string, force: boolean): void {
  if (recorded.version === '' || !isVersion(running) || force) return;
  if (compareVersions(recorded.version, running) > 0) {
    throw new RecordError(
      `This repository was last generated by generator-metaflow-metadata ${recorded.version}, newer than this one (${running}): running an older generator over it could undo what the newer one wrote. Upgrade the generator, or pass --force to go ahead. Nothing was written.`,
    );
  }
}
