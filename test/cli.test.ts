// The real bin, as CI and `npm create` run it: no terminal, answers from a file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { INPUTS, flagName } from '../src/lib/inputs/catalogue.js';
import { DEMO_FILE, demoAnswers, ROOT, tempDir } from './helpers.js';

const BIN = join(ROOT, 'generators', 'cli.js'); // built by npm test

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { ...process.env, ...env } });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** A git with no global or system configuration, and (optionally) an identity from the environment. */
function gitEnv(identity: boolean): NodeJS.ProcessEnv {
  const home = tempDir('home-');
  const who = identity ? { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' } : {};
  return { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), EMAIL: '', GIT_AUTHOR_NAME: '', GIT_AUTHOR_EMAIL: '', GIT_COMMITTER_NAME: '', GIT_COMMITTER_EMAIL: '', ...who };
}

const git = (cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).stdout.trim();

describe('create-metaflow-metadata', () => {
  it('writes the repository from the demo answers and exits 0', () => {
    const cwd = tempDir('cli-');
    const { status, stderr } = run(['out', '--answers', DEMO_FILE, '--skip-git'], cwd);
    assert.equal(status, 0, stderr);
    const out = join(cwd, 'out');
    for (const file of ['versions.tf', 'variables.tf', 'outputs.tf', 'ecs.tf', 'nlb.tf', 'api_gateway.tf', 'migration.tf', 'iam.tf', 'security_groups.tf', 'README.md', 'examples/complete/main.tf', '.yo-rc.json']) {
      assert.ok(existsSync(join(out, file)), file);
    }
    assert.ok(!existsSync(join(out, '.git')));
    const stored = JSON.parse(readFileSync(join(out, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'];
    assert.equal(stored.answers.database_password_secret_manager_arn, demoAnswers().database_password_secret_manager_arn);
  });

  it('makes a fresh directory a repository with exactly one commit and a clean tree', () => {
    const cwd = tempDir('cli-');
    const env = gitEnv(true);
    const { status, stdout, stderr } = run(['repo', '--answers', DEMO_FILE], cwd, env);
    assert.equal(status, 0, stderr);
    const repo = join(cwd, 'repo');
    assert.equal(git(repo, env, 'rev-list', '--count', 'HEAD'), '1');
    assert.equal(git(repo, env, 'status', '--porcelain'), '', 'everything written is committed');
    assert.match(git(repo, env, 'log', '-1', '--format=%B'), /generator-metaflow-metadata \d+\.\d+\.\d+/);
    assert.ok(git(repo, env, 'ls-files').split('\n').includes('functions/db_migrate.zip'));
    assert.equal(stderr, '');
    assert.match(stdout, /with one commit/);
    assert.match(stdout, /Next steps[\s\S]*terraform plan -out tfplan[\s\S]*api_key_value[\s\S]*Upgrading to a new image/);
  });

  it('inside an existing repository: writes the files, stages and commits nothing', () => {
    const cwd = tempDir('cli-');
    const env = gitEnv(true);
    git(cwd, env, 'init', '--quiet');
    const { status, stdout, stderr } = run(['infra/metadata', '--answers', DEMO_FILE], cwd, env);
    assert.equal(status, 0, stderr);
    assert.ok(existsSync(join(cwd, 'infra', 'metadata', 'versions.tf')));
    assert.equal(spawnSync('git', ['rev-parse', '--verify', 'HEAD'], { cwd, env: { ...process.env, ...env } }).status, 128, 'no commit');
    assert.equal(git(cwd, env, 'diff', '--cached', '--name-only'), '', 'nothing staged');
    assert.match(stdout + stderr, /inside the git repository .*nothing was staged or committed/);
  });

  it('without a git identity: a repository, no commit, a clear message, every file written', () => {
    const cwd = tempDir('cli-');
    const env = gitEnv(false);
    const { status, stdout, stderr } = run(['repo', '--answers', DEMO_FILE], cwd, env);
    assert.equal(status, 0, stderr);
    assert.ok(existsSync(join(cwd, 'repo', '.git')));
    assert.ok(existsSync(join(cwd, 'repo', 'versions.tf')));
    assert.match(stdout + stderr, /nothing was committed: git has no user name and email[\s\S]*git config --global user\.name/);
  });

  it('--skip-git: no repository', () => {
    const cwd = tempDir('cli-');
    const { status, stderr } = run(['--answers', DEMO_FILE, '--skip-git'], cwd, gitEnv(true));
    assert.equal(status, 0, stderr);
    assert.ok(!existsSync(join(cwd, '.git')));
  });

  it('refuses a bad answers file: non-zero exit, every bad field named, nothing written', () => {
    const cwd = tempDir('cli-');
    const bad = {
      ...demoAnswers(),
      vpc_cidr_blocks: '10.0.0.0/16',
      subnet2_id: demoAnswers().subnet1_id,
      metadata_service_memory: 512,
      s3_bucket_arn: 'arn:aws:s3:::Bad_Bucket',
      standard_tags: { env: 'dev"${x}' },
      databse_name: 'metaflow',
    } as Record<string, unknown>;
    delete bad.resource_suffix;
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify(bad));
    const { status, stderr, stdout } = run(['out', '--answers', 'bad.json', '--skip-git'], cwd);
    assert.notEqual(status, 0);
    for (const field of ['vpc_cidr_blocks', 'subnet2_id', 'metadata_service_memory', 's3_bucket_arn', 'standard_tags', 'databse_name', 'resource_suffix']) {
      assert.match(stderr, new RegExp(`- ${field}: `), `${field} not named in:\n${stderr}`);
    }
    assert.match(stderr, /did you mean database_name\?/);
    assert.match(stderr, /nothing was written/);
    assert.deepEqual(readdirSync(cwd), ['bad.json'], `files appeared: ${stdout}`);
  });

  it('refuses a missing answers file and a bad flag the same way', () => {
    const cwd = tempDir('cli-');
    let result = run(['--answers', 'nope.yaml', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /^nope\.yaml: cannot read the answers file: no such file\n/);
    writeFileSync(join(cwd, 'huge.json'), JSON.stringify({ ...demoAnswers(), padding: 'x'.repeat(1024 * 1024) }));
    result = run(['out', '--answers', 'huge.json', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /^huge\.json: is \d+ bytes; an answers file may be at most 1048576\nnothing was written\n$/);
    writeFileSync(join(cwd, 'dup.json'), JSON.stringify({ ...demoAnswers(), vpc_cidr_blocks: ['10.0.0.0/16', '10.0.0.0/16'] }));
    result = run(['out', '--answers', 'dup.json', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /vpc_cidr_blocks: "10\.0\.0\.0\/16" is listed twice/);
    assert.deepEqual(readdirSync(cwd).sort(), ['dup.json', 'huge.json']);
    result = run(['--answers', DEMO_FILE, '--metadata-service-cpu', '300', '--skip-git'], cwd);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /metadata_service_cpu: 300 is not a Fargate CPU size/);
    assert.deepEqual(readdirSync(cwd).sort(), ['dup.json', 'huge.json']);
  });

  it('--dry-run lists the files and writes nothing', () => {
    const cwd = tempDir('cli-');
    const { status, stderr, stdout } = run(['out', '--answers', DEMO_FILE, '--dry-run'], cwd);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^ +created {2}out\/ecs\.tf$/m);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('imports no Yeoman module on its run path (every module the run loads, looked up in the build)', () => {
    const cwd = tempDir('cli-');
    const record = join(cwd, 'loaded.txt');
    // A resolve hook, in Node's hooks thread, appends every module URL the process loads to `record`.
    const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(record)}, resolved.url + '\\n');
  return resolved;
}`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const child = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, BIN, 'out', '--answers', DEMO_FILE, '--skip-git'], { cwd, encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    assert.ok(existsSync(join(cwd, 'out', 'ecs.tf')));
    const generators = `${pathToFileURL(join(ROOT, 'generators')).href}/`;
    const loaded = readFileSync(record, 'utf8').split('\n').filter((url) => url.startsWith(generators)).map((url) => url.slice(generators.length));
    assert.ok(loaded.includes('cli.js') && loaded.some((file) => file.startsWith('lib/run-')), `the run's own files are among those loaded: ${loaded.join(', ')}`);
    const meta = JSON.parse(readFileSync(join(ROOT, '.tmp', 'build-meta.json'), 'utf8')) as { outputs: Record<string, string[]> };
    const yeoman = (name: string): boolean => /^(yeoman-|@yeoman\/|mem-fs)/.test(name);
    assert.ok(meta.outputs['app/index.js']?.some(yeoman), 'the build records the packages in each file (yo\'s adapter holds Yeoman)');
    for (const file of new Set(loaded)) {
      const packages = meta.outputs[file];
      assert.ok(packages, `${file}: loaded, but not in the build`);
      assert.deepEqual(packages.filter(yeoman), [], `${file} bundles Yeoman`);
    }
  });

  it('unattended, an answer the others make moot is set aside with a note naming it, and not recorded', () => {
    const cwd = tempDir('cli-');
    const { status, stdout } = run(['out', '--answers', DEMO_FILE, '--skip-git', '--enable-api-gateway', 'no'], cwd);
    assert.equal(status, 0);
    assert.match(stdout, /^Note: access_list_cidr_blocks: not used with the other answers .*set aside and not recorded\.$/m);
    const stored = JSON.parse(readFileSync(join(cwd, 'out', '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'].answers;
    assert.ok(!('access_list_cidr_blocks' in stored));
  });

  it('documents a flag for every input in --help', () => {
    const { status, stdout } = run(['--help'], tmpdir());
    assert.equal(status, 0);
    for (const input of INPUTS) assert.ok(stdout.includes(`--${flagName(input)}`), flagName(input));
    for (const option of ['--answers', '--skip-git', '--force', '--dry-run']) assert.ok(stdout.includes(option), option);
  });
});

describe('re-runs from the command line', () => {
  const generated = () => {
    const cwd = tempDir('cli-');
    assert.equal(run(['repo', '--answers', DEMO_FILE, '--skip-git'], cwd).status, 0);
    return join(cwd, 'repo');
  };
  const snapshot = (dir: string) =>
    Object.fromEntries(readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((p) => [p, statSync(join(dir, p)).isFile() ? readFileSync(join(dir, p), 'latin1') : '(dir)']));

  it('--dry-run writes nothing, labels every file and shows the diff of each change', () => {
    const dir = generated();
    writeFileSync(join(dir, 'ecs.tf'), `${readFileSync(join(dir, 'ecs.tf'), 'utf8')}# ours\n`);
    const before = snapshot(dir);
    const { status, stdout, stderr } = run(['--dry-run', '--skip-git', '--resource-suffix', 'prod'], dir);
    assert.equal(status, 0, stderr);
    assert.deepEqual(snapshot(dir), before, 'nothing written');
    assert.match(stdout, /^Dry run: nothing is written/);
    assert.match(stdout, /^ +kept {2}ecs\.tf {2}\(your edit/m);
    assert.match(stdout, /^ +updated {2}examples\/complete\/terraform\.tfvars$/m);
    assert.match(stdout, /^--- a\/examples\/complete\/terraform\.tfvars\n\+\+\+ b\/examples\/complete\/terraform\.tfvars\n@@[^\n]*\n[\s\S]*^-resource_suffix += "dev"\n\+resource_suffix += "prod"$/m);
  });

  it('--dry-run exits non-zero when the real run would conflict, still writing nothing', () => {
    const dir = generated();
    const tfvars = join(dir, 'examples/complete/terraform.tfvars');
    writeFileSync(tfvars, readFileSync(tfvars, 'utf8').replace(/^resource_suffix( +)= "dev"$/m, 'resource_suffix$1= "qa"'));
    const before = snapshot(dir);
    const { status, stderr } = run(['--dry-run', '--skip-git', '--resource-suffix', 'prod'], dir);
    assert.equal(status, 1);
    assert.match(stderr, /1 file has conflicts \(a real run would write them with conflict markers\):\n {2}- examples\/complete\/terraform\.tfvars/);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('create-metaflow-metadata at the edges', () => {
  const YEOMAN_INTERNAL = ['--skip-install', '--force-install', '--skip-cache', '--local-config-only', '--whitespace', '--bail', '--skip-yo-resolve', '--cwd'];
  const ESCAPE = /\u001b\[/;
  /** The environment of a plain pipe: no colour asked for either way. */
  const plain = (): NodeJS.ProcessEnv => {
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    return env;
  };
  const runPlain = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) => {
    const child = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, env: { ...plain(), ...extra } });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  };
  const files = (dir: string): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (sub: string): void => {
      for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
        const path = sub === '' ? entry.name : `${sub}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else out.set(path, readFileSync(join(dir, path), 'latin1'));
      }
    };
    walk('');
    return out;
  };

  it('--help and -h: every option that does something here, none of Yeoman\'s own, on stdout', () => {
    for (const flag of ['--help', '-h']) {
      const { status, stdout, stderr } = run([flag], tmpdir());
      assert.equal(status, 0);
      assert.equal(stderr, '');
      assert.match(stdout, /^Usage: create-metaflow-metadata \[directory\] \[options\]/);
      for (const input of INPUTS) assert.ok(stdout.includes(`--${flagName(input)}`), flagName(input));
      for (const option of ['--answers <file>', '--interactive', '--ask-answered', '--skip-git', '--commit', '--force', '--dry-run', '--version']) assert.ok(stdout.includes(option), option);
      for (const internal of YEOMAN_INTERNAL) assert.ok(!stdout.includes(internal), `${internal} is listed`);
    }
    // --help wins over anything else on the line, mistakes included.
    assert.equal(run(['--no-such-option', '--help'], tmpdir()).status, 0);
  });

  it('--version, -v and -V print the package version alone', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    for (const flag of ['--version', '-v', '-V']) {
      const { status, stdout, stderr } = run([flag], tmpdir());
      assert.equal(status, 0);
      assert.equal(stdout, `${version}\n`);
      assert.equal(stderr, '');
    }
  });

  it('boolean flags take values: --api-basic-auth false writes what --no-api-basic-auth writes', () => {
    const cwd = tempDir('cli-');
    const spellings = [['--no-api-basic-auth'], ['--api-basic-auth', 'false'], ['--api-basic-auth=no'], ['--api-basic-auth', '0']];
    const outputs = spellings.map((flags, i) => {
      const { status, stderr } = run([`out${i}`, '--answers', DEMO_FILE, '--skip-git', ...flags], cwd);
      assert.equal(status, 0, `${flags.join(' ')}: ${stderr}`);
      return files(join(cwd, `out${i}`));
    });
    const stored = JSON.parse(outputs[0]!.get('.yo-rc.json')!)['generator-metaflow-metadata'];
    assert.equal(stored.answers.api_basic_auth, false);
    for (const [i, output] of outputs.entries()) assert.deepEqual(output, outputs[0], spellings[i]!.join(' '));
    // And the other way round, after a directory argument.
    const yes = run(['out-yes', '--api-basic-auth', 'true', '--answers', DEMO_FILE, '--skip-git'], cwd);
    assert.equal(yes.status, 0, yes.stderr);
    assert.equal(JSON.parse(readFileSync(join(cwd, 'out-yes', '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'].answers.api_basic_auth, true);
    const bad = run(['--api-basic-auth=maybe', '--answers', DEMO_FILE], cwd);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--api-basic-auth takes true or false/);
  });

  it('a malformed answers file: the file, line and column first, and nothing about required fields', () => {
    const cwd = tempDir('cli-');
    writeFileSync(join(cwd, 'bad.json'), '{\n  "aws_region": "us-east-1",\n  "resource_prefix" "metaflow"\n}\n');
    writeFileSync(join(cwd, 'bad.yaml'), 'aws_region: us-east-1\nresource_prefix: metaflow\n  resource_suffix: dev\n');
    writeFileSync(join(cwd, 'short.json'), '{"aws_region": "us-east-1",');
    const cases: [string, RegExp][] = [
      ['bad.json', /^bad\.json:3:21: not valid JSON: [^\n]+\nnothing was written\n$/],
      ['bad.yaml', /^bad\.yaml:2:\d+: not valid YAML: [^\n]+\nnothing was written\n$/],
      ['short.json', /^short\.json:1:28: not valid JSON: the file ends before the JSON does\nnothing was written\n$/],
    ];
    for (const [file, expected] of cases) {
      const { status, stdout, stderr } = runPlain(['out', '--answers', file], cwd);
      assert.equal(status, 1);
      assert.match(stderr, expected);
      assert.doesNotMatch(stderr, /is required|An error occured/);
      assert.equal(stdout, '');
    }
    assert.deepEqual(readdirSync(cwd).sort(), ['bad.json', 'bad.yaml', 'short.json']);
  });

  it('no terminal and no answers: says how to give them, before the list of what is missing', () => {
    const cwd = tempDir('cli-');
    const { status, stdout, stderr } = runPlain(['out'], cwd);
    assert.equal(status, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^Answers are missing and there is no terminal to ask in: give them with --answers <file>[^\n]*run in a terminal/);
    assert.match(stderr, /- aws_region: is required/);
    assert.doesNotMatch(stderr, /An error occured/);
    assert.deepEqual(readdirSync(cwd), []);
  });

  it('success: the files written on stdout, nothing on stderr; no colour codes without a terminal', () => {
    const cwd = tempDir('cli-');
    const { status, stdout, stderr } = runPlain(['out', '--answers', DEMO_FILE, '--skip-git'], cwd);
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    for (const file of ['versions.tf', 'ecs.tf', 'examples/complete/terraform.tfvars', 'functions/db_migrate.zip']) assert.match(stdout, new RegExp(`created  out/${file.replace(/\./g, '\\.')}\n`));
    assert.doesNotMatch(stdout, ESCAPE);
    // Failures neither.
    const failed = runPlain(['out2', '--answers', DEMO_FILE, '--metadata-service-cpu', '300'], cwd);
    assert.equal(failed.status, 1);
    assert.doesNotMatch(failed.stdout + failed.stderr, ESCAPE);
    assert.match(failed.stderr, /^1 problem in answers; nothing was written:\n {2}- metadata_service_cpu: /);
  });

  it('unattended, a caution is a note on stdout before the files, and the run still succeeds; a verify mode without its CA bundle is refused', () => {
    const cwd = tempDir('cli-');
    const { status, stdout, stderr } = run(['out', '--answers', DEMO_FILE, '--skip-git', '--database-ssl-mode', 'allow'], cwd);
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    const note = stdout.split('\n').filter((line) => line.startsWith('Note: database_ssl_mode: with allow,'));
    assert.equal(note.length, 1, stdout);
    assert.ok(stdout.indexOf(note[0]!) < stdout.indexOf('created  out/'), 'the note comes before the files');
    const refused = run(['out2', '--answers', DEMO_FILE, '--skip-git', '--database-ssl-mode', 'verify-ca'], cwd);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^1 problem in answers; nothing was written:\n {2}- database_ssl_mode: verify-ca checks the database server's certificate against a CA bundle/);
    assert.ok(!existsSync(join(cwd, 'out2')));
  });

  it('colour follows FORCE_COLOR, and NO_COLOR turns it off', () => {
    const cwd = tempDir('cli-');
    const forced = runPlain(['a', '--answers', DEMO_FILE, '--skip-git'], cwd, { FORCE_COLOR: '1' });
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, ESCAPE);
    const none = runPlain(['b', '--answers', DEMO_FILE, '--skip-git'], cwd, { NO_COLOR: '1' });
    assert.equal(none.status, 0, none.stderr);
    assert.doesNotMatch(none.stdout, ESCAPE);
  });

  it('the README\'s answers-file example runs unattended as written', () => {
    const cwd = tempDir('cli-');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Answers file')))?.[1];
    assert.ok(example);
    writeFileSync(join(cwd, 'answers.json'), example);
    const { status, stderr } = runPlain(['out', '--answers', 'answers.json', '--skip-git'], cwd);
    assert.equal(status, 0, stderr);
    assert.ok(existsSync(join(cwd, 'out', 'variables.tf')));
  });

  it('command-line mistakes: named, with a hint, exit 2, nothing written', () => {
    const cwd = tempDir('cli-');
    const cases: [string[], RegExp][] = [
      [['--answer', DEMO_FILE], /unknown option --answer; did you mean --answers\?/],
      [['--skip-install'], /--skip-install: a Yeoman option that does nothing for this generator/],
      [['one', 'two'], /too many arguments: "one", "two"/],
      [['--answers'], /--answers needs a value/],
    ];
    for (const [args, expected] of cases) {
      const { status, stderr } = runPlain(args, cwd);
      assert.equal(status, 2, args.join(' '));
      assert.match(stderr, expected);
      assert.match(stderr, /Run create-metaflow-metadata --help for the options\.\n$/);
    }
    assert.deepEqual(readdirSync(cwd), []);
  });
});
