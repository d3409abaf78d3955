// The generated README's shell recipe that writes the Metaflow profile, run as
// written: bash in a temporary HOME, with a stub `terraform` on PATH that
// answers the two outputs the recipe reads. The profile holds the API key, so
// it must come out readable by its owner alone, whatever the umask.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderVariant, tempDir, textOf } from './helpers.js';

const PROFILE = { METAFLOW_DEFAULT_METADATA: 'service', METAFLOW_SERVICE_URL: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/api/', METAFLOW_SERVICE_INTERNAL_URL: 'http://mock-0123.elb.us-east-1.amazonaws.com/' };
const KEY = 'mock-api-key-0123456789abcdef0123456789';

/** The first sh block of the README section "Point Metaflow at it". */
function recipe(): string {
  const readme = textOf(renderVariant(), 'README.md');
  const section = readme.slice(readme.indexOf('## Point Metaflow at it'));
  const code = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'no sh block under "Point Metaflow at it"');
  return code;
}

const hasJq = spawnSync('jq', ['--version']).status === 0;

describe('the README recipe for ~/.metaflowconfig/config.json', () => {
  const work = tempDir('recipe-');
  after(() => rmSync(work, { recursive: true, force: true }));
  let n = 0;

  /** Run the recipe in a fresh HOME (with `config` there first, if given) under umask 022; returns the HOME. */
  function run(options: { key?: string; config?: { text: string; mode: number } }): { home: string; stderr: string; status: number | null; tmp: string } {
    const root = join(work, String(n++));
    const home = join(root, 'home');
    const bin = join(root, 'bin');
    const tmp = join(root, 'tmp');
    for (const dir of [home, bin, tmp]) mkdirSync(dir, { recursive: true });
    // terraform: the two outputs; api_key_value fails as terraform does for a null output.
    writeFileSync(
      join(bin, 'terraform'),
      [
        '#!/usr/bin/env bash',
        'case "$*" in',
        `  "output -json metaflow_profile") printf '%s\\n' '${JSON.stringify(PROFILE)}' ;;`,
        `  "output -raw api_key_value") if [ -n "\${STUB_KEY:-}" ]; then printf '%s' "$STUB_KEY"; else echo 'Error: Unsupported value for raw output' >&2; exit 1; fi ;;`,
        '  *) echo "stub terraform: unexpected $*" >&2; exit 2 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    writeFileSync(join(bin, 'aws'), '#!/usr/bin/env bash\necho "stub aws: the recipe should not need it" >&2\nexit 2\n');
    chmodSync(join(bin, 'terraform'), 0o755);
    chmodSync(join(bin, 'aws'), 0o755);
    if (options.config) {
      mkdirSync(join(home, '.metaflowconfig'), { mode: 0o755 });
      writeFileSync(join(home, '.metaflowconfig', 'config.json'), options.config.text);
      chmodSync(join(home, '.metaflowconfig', 'config.json'), options.config.mode);
    }
    const result = spawnSync('bash', ['-c', `umask 022\n${recipe()}`], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, TMPDIR: tmp, ...(options.key ? { STUB_KEY: options.key } : {}) },
    });
    return { home, stderr: result.stderr, status: result.status, tmp };
  }

  const config = (home: string) => join(home, '.metaflowconfig', 'config.json');
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('jq is installed (the recipe needs it; .ci/run installs it where it is missing)', () => {
    assert.ok(hasJq, 'jq is not on PATH: install it (apt-get install jq) to run these tests');
  });

  it('a new profile: the service settings and the key, mode 0600 under umask 022, no temporary file left, nothing in TMPDIR', { skip: !hasJq }, () => {
    const { home, stderr, status, tmp } = run({ key: KEY });
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    assert.deepEqual(JSON.parse(readFileSync(config(home), 'utf8')), { ...PROFILE, METAFLOW_SERVICE_AUTH_KEY: KEY });
    assert.equal(mode(config(home)).toString(8), '600');
    assert.equal(mode(join(home, '.metaflowconfig')).toString(8), '700');
    assert.deepEqual(readdirSync(join(home, '.metaflowconfig')), ['config.json']);
    assert.deepEqual(readdirSync(tmp), []);
  });

  it('an existing world-readable profile: its other settings kept, the service ones replaced, now mode 0600', { skip: !hasJq }, () => {
    const before = { METAFLOW_DATASTORE_SYSROOT_S3: 's3://metaflow-dev-datastore/metaflow', METAFLOW_SERVICE_URL: 'https://old.example/api/' };
    const { home, stderr, status } = run({ key: KEY, config: { text: `${JSON.stringify(before)}\n`, mode: 0o644 } });
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(readFileSync(config(home), 'utf8')), { ...before, ...PROFILE, METAFLOW_SERVICE_AUTH_KEY: KEY });
    assert.equal(mode(config(home)).toString(8), '600');
    assert.deepEqual(readdirSync(join(home, '.metaflowconfig')), ['config.json']);
  });

  it('without an API key: no METAFLOW_SERVICE_AUTH_KEY is written', { skip: !hasJq }, () => {
    const { home, stderr, status } = run({});
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(readFileSync(config(home), 'utf8')), PROFILE);
    assert.equal(mode(config(home)).toString(8), '600');
  });

  it('a profile jq cannot read is left as it was, and no temporary file stays', { skip: !hasJq }, () => {
    const { home, status } = run({ key: KEY, config: { text: 'not json', mode: 0o600 } });
    assert.notEqual(status, 0);
    assert.equal(readFileSync(config(home), 'utf8'), 'not json');
    assert.deepEqual(readdirSync(join(home, '.metaflowconfig')), ['config.json']);
  });
});
