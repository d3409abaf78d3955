// Re-runs the way a platform team lives with them: the real bin in real git
// repositories, with sed over every tracked file, Windows line endings,
// uncommitted work under --force, files there before the first run, upgrades
// from the releases this repository's own history holds (test/fixtures/releases,
// made by scripts/release-fixtures.sh), and two branches that each re-ran the
// generator, merged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { snapshot } from './engine.js';
import { DEMO_FILE, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test
const RELEASES = join(ROOT, 'test', 'fixtures', 'releases');

/** git with no global or system configuration, and an identity. */
const HOME = tempDir('home-');
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  HOME,
  XDG_CONFIG_HOME: HOME,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(HOME, 'gitconfig'),
  GIT_AUTHOR_NAME: 'Platform Team',
  GIT_AUTHOR_EMAIL: 'platform@example.com',
  GIT_COMMITTER_NAME: 'Platform Team',
  GIT_COMMITTER_EMAIL: 'platform@example.com',
  NO_COLOR: '1',
};

function bin(cwd: string, ...args: string[]) {
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function git(cwd: string, ...args: string[]): string {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8', env: ENV });
  if (child.status !== 0 && !['merge', 'grep', 'diff'].includes(args[0]!)) throw new Error(`git ${args.join(' ')}: ${child.stderr}`);
  return child.stdout;
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const write = (dir: string, path: string, text: string) => writeFileSync(join(dir, path), text);

const clone = (source: string, ...config: string[]): string => {
  const dir = join(tempDir('clone-'), 'repo');
  git(tmpdir(), 'clone', '--quiet', ...config.flatMap((c) => ['-c', c]), source, dir);
  return dir;
};

/** A repository the bin generated from the demo answers (its one commit), made once; each test gets a clone. */
let demo: string | undefined;
function generated(...config: string[]): string {
  if (demo === undefined) {
    const cwd = tempDir('rerun-');
    const result = bin(cwd, 'repo', '--answers', DEMO_FILE);
    assert.equal(result.status, 0, result.stderr);
    demo = join(cwd, 'repo');
  }
  return clone(demo, ...config);
}

const withMarkers = (dir: string): string[] => git(dir, 'grep', '-l', '-E', '^<<<<<<< ', '--', '.').split('\n').filter(Boolean);

describe('upgrading a repository an earlier release generated', () => {
  it('the fixtures are what those commits of this repository generate (checked where the history is at hand)', (t) => {
    for (const release of ['pre-merge', 'merge-base']) {
      const dir = clone(join(RELEASES, `${release}.bundle`));
      const commit = /at ([0-9a-f]{40})/.exec(git(dir, 'tag', '-n1', '--format=%(contents)', `generated-by-${release}`))?.[1];
      assert.ok(commit, `${release}: the tag names the commit that generated it`);
      if (spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: ROOT }).status !== 0) {
        t.diagnostic(`${release}: ${commit} is not in this clone's history (a shallow clone): provenance not checked`);
        continue;
      }
      // Every template that is copied as it is must be in the fixture byte for byte.
      const templates = git(ROOT, 'ls-tree', '-r', '--name-only', commit, 'templates/').split('\n').filter((p) => p && !p.endsWith('.ejs') && !p.includes('/partials/'));
      assert.ok(templates.length > 10);
      for (const template of templates) {
        const output = template.slice('templates/'.length).split('/').map((part) => (part.startsWith('_') ? `.${part.slice(1)}` : part)).join('/');
        assert.equal(read(dir, output), git(ROOT, 'show', `${commit}:${template}`), `${release}: ${output}`);
      }
    }
  });

  it('from the releases before the merge engine (a sha256 per file): untouched files update, only the edited one may conflict', () => {
    const dir = clone(join(RELEASES, 'pre-merge.bundle'));
    assert.match(git(dir, 'log', '-1', '--format=%B'), /Written by generator-metaflow-metadata 0\.1\.0/);
    assert.ok(JSON.parse(read(dir, '.yo-rc.json'))['generator-metaflow-metadata'].files['ecs.tf'].startsWith('sha256:'), 'the old record');
    write(dir, 'ecs.tf', `${read(dir, 'ecs.tf')}# Reviewed by the platform team.\n`);
    git(dir, 'commit', '--quiet', '-am', 'Our edit');
    const { status, stdout, stderr } = bin(dir);
    assert.equal(status, 1, stderr);
    assert.match(stderr, /^1 file has conflicts.*\n {2}- ecs\.tf\n/);
    // What to resolve first, then the next steps: never the next steps above the conflict list.
    assert.doesNotMatch(stdout, /Next steps/);
    assert.match(stderr, /- ecs\.tf\n[\s\S]*then commit\.\n\nOnce they are resolved:\nNext steps\n {2}1\. /);
    assert.match(stdout, /^ +conflict {2}ecs\.tf {2}\(you edited it under a release that kept no copy/m);
    assert.match(stdout, /^ +updated {2}\.gitattributes$/m);
    assert.deepEqual(withMarkers(dir), ['ecs.tf'], 'markers only in the edited file: never in .gitattributes or anything untouched');
    assert.match(read(dir, 'ecs.tf'), /^<<<<<<< yours\n# Reviewed by the platform team\.\n=======\n>>>>>>> new \(\d+\.\d+\.\d+(, new answers)?\)\n/m, 'your line, side by side with the new file (no base to tell an addition from a removal)');
    assert.equal(spawnSync('git', ['status', '--porcelain'], { cwd: dir, env: ENV }).status, 0, 'git works');
    assert.ok(!('files' in JSON.parse(read(dir, '.yo-rc.json'))['generator-metaflow-metadata']), 'the digests moved to .generator/');
    // Unresolved, the next run says so again and changes nothing.
    const before = snapshot(dir);
    const again = bin(dir);
    assert.equal(again.status, 1);
    assert.match(again.stdout, /^ +conflict {2}ecs\.tf {2}\(still has conflict markers/m);
    assert.match(again.stdout, /^nothing to do \(/m);
    assert.deepEqual(snapshot(dir), before);
  });

  it('from the merge engine\'s first release (.generator-base.json): an edit merges, the record becomes .generator/', () => {
    const dir = clone(join(RELEASES, 'merge-base.bundle'));
    assert.ok(existsSync(join(dir, '.generator-base.json')));
    write(dir, 'ecs.tf', `${read(dir, 'ecs.tf')}# Reviewed by the platform team.\n`);
    const { status, stdout, stderr } = bin(dir);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^ +removed {2}\.generator-base\.json/m);
    assert.ok(!existsSync(join(dir, '.generator-base.json')));
    assert.ok(read(dir, 'ecs.tf').endsWith('# Reviewed by the platform team.\n'));
    assert.deepEqual(withMarkers(dir), []);
    assert.match(bin(dir).stdout, /^nothing to do/m);
  });
});

describe('first commit and --force in git', () => {
  it('the first commit never holds conflict markers: a file there before is left out, named', () => {
    const cwd = tempDir('rerun-');
    const dir = join(cwd, 'repo');
    spawnSync('mkdir', [dir]);
    write(dir, 'README.md', '# Our metadata service\n\nNotes of the platform team.\n');
    const { status, stdout } = bin(cwd, 'repo', '--answers', DEMO_FILE);
    assert.equal(status, 1);
    assert.match(stdout, /with one commit[\s\S]*Not committed, because it holds conflict markers: README\.md/);
    assert.equal(git(dir, 'rev-list', '--count', 'HEAD').trim(), '1');
    assert.equal(git(dir, 'grep', '-l', '<<<<<<<', 'HEAD', '--', '.'), '', 'no markers in the commit');
    assert.ok(git(dir, 'ls-files').includes('versions.tf'));
    assert.match(read(dir, 'README.md'), /^<<<<<<< yours \(there before the generator\)\n# Our metadata service/);
  });

  it('--force refuses to replace uncommitted work, naming it; committed, it goes ahead', () => {
    const dir = generated();
    const tfvars = 'examples/complete/terraform.tfvars';
    write(dir, tfvars, `${read(dir, tfvars)}# ours, not committed\n`);
    const before = snapshot(dir);
    const refused = bin(dir, '--force', '--resource-suffix', 'prod');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^--force would replace uncommitted changes \(git cannot bring them back\):\n {2}- examples\/complete\/terraform\.tfvars\nCommit or stash them first/);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    git(dir, 'commit', '--quiet', '-am', 'Our note');
    const forced = bin(dir, '--force', '--resource-suffix', 'prod');
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /overwritten {2}examples\/complete\/terraform\.tfvars/);
    assert.doesNotMatch(read(dir, tfvars), /ours, not committed/);
    assert.match(git(dir, 'show', `HEAD:${tfvars}`), /ours, not committed/, 'git still has it');
  });
});

describe('a repository lived with', () => {
  it('sed -i over git ls-files reaches no base copy: the replacement survives the next run', () => {
    const dir = generated();
    const files = git(dir, 'ls-files').split('\n').filter(Boolean);
    assert.ok(files.some((f) => f.startsWith('.generator/base/')), 'the base copies are tracked');
    const sed = spawnSync('sed', ['-i', 's/Liveness on the metadata API only/Health checks on the metadata API only/', ...files], { cwd: dir });
    assert.equal(sed.status, 0);
    assert.deepEqual(git(dir, 'status', '--porcelain').trimEnd().split('\n'), [' M ecs.tf']);
    const { status, stdout, stderr } = bin(dir, '--resource-suffix', 'prod');
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^ +kept {2}ecs\.tf {2}\(your edit/m);
    assert.match(read(dir, 'ecs.tf'), /Health checks on the metadata API only/);
  });

  it('a Windows checkout (core.autocrlf=true): a re-run says nothing to do and writes nothing; a change keeps each file\'s endings', () => {
    const dir = generated('core.autocrlf=true');
    assert.match(read(dir, 'README.md'), /\r\n/, 'a CRLF checkout');
    assert.doesNotMatch(read(dir, 'ecs.tf'), /\r\n/, '.gitattributes keeps LF where tools need it');
    assert.doesNotMatch(read(dir, 'functions/db_migrate/index.py'), /\r\n/, 'and the Lambda sources as committed');
    const before = snapshot(dir);
    const { status, stdout, stderr } = bin(dir);
    assert.equal(status, 0, stderr);
    assert.equal(stdout, 'nothing to do\n');
    assert.deepEqual(snapshot(dir), before, 'no byte, no mtime');
    assert.equal(bin(dir, '--resource-suffix', 'prod').status, 0);
    assert.match(read(dir, 'CHANGELOG.md'), /resource_suffix = "prod"[^\n]*\r\n/, 'written back with CRLF');
    const numstat = git(dir, 'diff', '--numstat', '--', 'CHANGELOG.md').trim();
    assert.match(numstat, /^1\t1\tCHANGELOG\.md$/, 'one line changed, no line-ending churn');
  });

  it('a repository a newer generator wrote: refused, exit 1, nothing written; --force goes ahead', () => {
    const dir = generated();
    const store = JSON.parse(read(dir, '.yo-rc.json'));
    store['generator-metaflow-metadata'].version = '9.0.0';
    write(dir, '.yo-rc.json', `${JSON.stringify(store, null, 2)}\n`);
    const before = snapshot(dir);
    const refused = bin(dir, '--resource-suffix', 'prod');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^This repository was last generated by generator-metaflow-metadata 9\.0\.0, newer than this one \(\d+\.\d+\.\d+\)/);
    assert.deepEqual(snapshot(dir), before);
    assert.equal(bin(dir, '--resource-suffix', 'prod', '--force').status, 0);
  });

  it('the README\'s worked example: ecs.tf edited, a new suffix; sha256sum -c then names exactly the file you changed', () => {
    const dir = generated();
    write(dir, 'ecs.tf', `${read(dir, 'ecs.tf')}# ours\n`);
    const { status, stdout, stderr } = bin(dir, '--resource-suffix', 'prod');
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^ +updated {2}CHANGELOG\.md\n +kept {2}ecs\.tf {2}\(your edit; the generator has nothing new for it\)\n +updated {2}examples\/complete\/terraform\.tfvars\n/m);
    assert.match(stdout, /^ +updated {2}\.generator\/manifest .*\n +updated {2}\.yo-rc\.json {2}\(answers: resource_suffix\)\n +recorded {2}\.generator\/base\/ {2}\(base copies: 2 added, 2 removed\)$/m);
    const check = spawnSync('sha256sum', ['-c', '--quiet', '.generator/manifest'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.stdout, 'ecs.tf: FAILED\n');
  });

  it('an edit of terraform.tfvars is named on every run, with the flag that makes it an answer', () => {
    const dir = generated();
    const tfvars = 'examples/complete/terraform.tfvars';
    write(dir, tfvars, read(dir, tfvars).replace(/^metadata_service_cpu( +)= 512$/m, 'metadata_service_cpu$1= 1024'));
    for (let run = 0; run < 2; run++) {
      const { status, stdout } = bin(dir, '--skip-git');
      assert.equal(status, 0);
      assert.match(stdout, /terraform\.tfvars differs from your answers \(\.yo-rc\.json\) for metadata_service_cpu: .*run again with --metadata-service-cpu <value>/);
    }
    assert.match(read(dir, tfvars), /^# An edit made here stays, but it is not an answer/m);
  });

  it('two branches that each re-ran the generator merge with a small record conflict, and any resolution of it recovers', () => {
    const main = generated();
    git(main, 'checkout', '--quiet', '-b', 'bigger');
    assert.equal(bin(main, '--metadata-service-cpu', '1024', '--metadata-service-memory', '2048').status, 0);
    git(main, 'add', '-A');
    git(main, 'commit', '--quiet', '-m', 'Bigger tasks');
    git(main, 'checkout', '--quiet', 'main');
    git(main, 'checkout', '--quiet', '-b', 'prod');
    assert.equal(bin(main, '--resource-suffix', 'prod').status, 0);
    git(main, 'add', '-A');
    git(main, 'commit', '--quiet', '-m', 'Production');
    const manifestSize = statSync(join(main, '.generator/manifest')).size;
    assert.ok(manifestSize < 8 * 1024, `the manifest is small (${manifestSize} bytes)`);

    for (const resolution of ['ours', 'theirs', 'left with markers']) {
      const dir = clone(main);
      git(dir, 'checkout', '--quiet', 'bigger');
      git(dir, 'merge', '--quiet', 'origin/prod');
      const conflicted = git(dir, 'diff', '--name-only', '--diff-filter=U').split('\n').filter(Boolean);
      assert.ok(conflicted.includes('.generator/manifest'), conflicted.join());
      const hunk = read(dir, '.generator/manifest').split('\n');
      assert.ok(hunk.every((line) => line.length < 200), 'short lines a person can resolve');
      // The files: either side (the next run brings them together); the answers: both changes.
      for (const path of conflicted.filter((p) => !p.startsWith('.generator/') && p !== '.yo-rc.json')) git(dir, 'checkout', '--theirs', '--', path);
      if (conflicted.includes('.yo-rc.json')) {
        git(dir, 'checkout', '--ours', '--', '.yo-rc.json');
        const store = JSON.parse(read(dir, '.yo-rc.json'));
        store['generator-metaflow-metadata'].answers.resource_suffix = 'prod';
        write(dir, '.yo-rc.json', `${JSON.stringify(store, null, 2)}\n`);
      }
      if (resolution !== 'left with markers') git(dir, 'checkout', `--${resolution}`, '--', '.generator/manifest');
      git(dir, 'add', '-A');
      git(dir, 'commit', '--quiet', '-m', 'Merge');
      const { status, stdout, stderr } = bin(dir);
      assert.equal(status, 0, `${resolution}: ${stderr}\n${stdout}`);
      assert.deepEqual(withMarkers(dir), [], resolution);
      const tfvars = read(dir, 'examples/complete/terraform.tfvars');
      assert.match(tfvars, /^resource_suffix +=  ?"prod"$/m, resolution);
      assert.match(tfvars, /^metadata_service_cpu +=  ?1024$/m, resolution);
      assert.match(read(dir, 'CHANGELOG.md'), /resource_suffix = "prod".*\n[\s\S]*metadata_service_cpu = 1024/, resolution);
      assert.doesNotMatch(read(dir, '.generator/manifest'), /<<<<<<<|>>>>>>>/, resolution);
      if (resolution === 'left with markers') assert.match(bin(dir).stdout, /^nothing to do/m, `${resolution}: settled`);
    }
  });
});
