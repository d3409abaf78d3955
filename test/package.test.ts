// The package as npm would publish it (`npm pack` of the built tree), unpacked
// where no node_modules can be reached: the bin must need nothing else, and
// Yeoman's environment must find and run the generator the way `yo` does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { DEMO_FILE, pinnedUses, ROOT, tempDir } from './helpers.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
let modules = ''; // <tmp>/node_modules, holding the unpacked package
let installed = ''; // <tmp>/node_modules/generator-metaflow-metadata
let tarball = ''; // <tmp>/generator-metaflow-metadata-<version>.tgz

before(() => {
  const dir = tempDir('packed-');
  // The tree is built by npm test; --ignore-scripts packs it as it is.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string }[];
  tarball = join(dir, (packed[0] as { filename: string }).filename);
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  modules = join(dir, 'node_modules');
  mkdirSync(modules);
  installed = join(modules, 'generator-metaflow-metadata');
  renameSync(join(dir, 'package'), installed);
});

/**
 * What `yo metaflow-metadata ...` does once its arguments are parsed: look the
 * generator up among installed packages, then run it with the flags as yo's
 * parser hands them over (camelCase and kebab-case, every value a string).
 */
function yoLike(cwd: string, args: string[], flags: Record<string, string | boolean>) {
  const options: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(flags)) {
    options[name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
    options[name] = value;
  }
  const script = `
    import { createEnv } from 'yeoman-environment';
    const [modules, cwd, args, options] = process.argv.slice(1);
    const env = createEnv({ cwd });
    await env.lookup({ npmPaths: [modules] });
    process.stderr.write('generators: ' + Object.keys(env.getGeneratorsMeta()).join(',') + '\\n');
    // yo's own error handler: the message, and the error's code as the exit status.
    await env.run(JSON.parse(args), JSON.parse(options)).catch((error) => { console.error(error.message); process.exit(error.code || 1); });`;
  // Run from the repository so that yeoman-environment (a dev dependency) resolves; the generator comes from the unpacked package.
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, modules, cwd, JSON.stringify(args), JSON.stringify(options)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('the packed package', () => {
  it('ships the bundle, the templates and the licences, and depends on nothing', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(pkg.dependencies, undefined);
    assert.equal(pkg.peerDependencies, undefined);
    for (const file of ['generators/cli.js', 'generators/app/index.js', 'generators/package.json', 'generators/THIRD-PARTY-LICENSES.txt', 'templates/ecs.tf', 'LICENSE', 'README.md']) {
      assert.ok(existsSync(join(installed, file)), file);
    }
    assert.ok(!existsSync(join(installed, 'src')), 'sources are not shipped');
  });

  it('installs from its tarball with npm without running or announcing any script of its own', () => {
    const cwd = tempDir('packed-install-');
    const child = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_loglevel: 'warn' } });
    assert.equal(child.status, 0, child.stderr);
    assert.doesNotMatch(`${child.stdout}${child.stderr}`, /generator-metaflow-metadata|install-scripts|prepare/, 'npm says nothing about this package');
    const { scripts = {} } = JSON.parse(readFileSync(join(cwd, 'node_modules', 'generator-metaflow-metadata', 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(scripts[hook], undefined, hook);
    assert.ok(existsSync(join(cwd, 'node_modules', '.bin', 'create-metaflow-metadata')));
  });

  it('its bin generates the demo with no node_modules anywhere above it', () => {
    const cwd = tempDir('packed-run-');
    const bin = join(installed, 'generators', 'cli.js');
    const { status, stdout, stderr } = (() => {
      const child = spawnSync(process.execPath, [bin, 'out', '--answers', DEMO_FILE, '--skip-git'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      return { status: child.status, stdout: child.stdout, stderr: child.stderr };
    })();
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '');
    assert.match(stdout, /created {2}out\/versions\.tf/);
    assert.ok(readdirSync(join(cwd, 'out')).includes('variables.tf'));
    assert.equal(spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).stdout, `${version}\n`);
  });

  it('as yo runs it: found by lookup, --help without Yeoman\'s own options, --version, and a run with string flags', () => {
    const cwd = tempDir('packed-yo-');
    const help = yoLike(cwd, ['metaflow-metadata'], { help: true });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stderr, /generators: .*metaflow-metadata:app/);
    assert.match(help.stdout, /^Usage: yo metaflow-metadata \[directory\] \[options\]/);
    assert.ok(help.stdout.includes('--api-basic-auth [true|false]'));
    for (const internal of ['--skip-install', '--force-install', '--skip-cache']) assert.ok(!help.stdout.includes(internal), internal);

    const shown = yoLike(cwd, ['metaflow-metadata'], { version: true });
    assert.equal(shown.status, 0, shown.stderr);
    assert.equal(shown.stdout, `${version}\n`);
    assert.deepEqual(readdirSync(cwd), [], '--version writes nothing');

    const run = yoLike(cwd, ['metaflow-metadata', 'out'], { answers: DEMO_FILE, 'skip-git': 'true', 'api-basic-auth': 'false', 'metadata-service-cpu': '1024', 'metadata-service-memory': '2048' });
    assert.equal(run.status, 0, run.stderr);
    const stored = JSON.parse(readFileSync(join(cwd, 'out', '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'];
    assert.equal(stored.answers.api_basic_auth, false);
    assert.equal(stored.answers.metadata_service_cpu, 1024);
    assert.ok(!existsSync(join(cwd, 'out', '.git')), '--skip-git true');
    assert.doesNotMatch(run.stdout + run.stderr, /An error occured/);
  });

  it('as yo runs it: an unknown or misspelt option is refused as the bin refuses it (did-you-mean, exit 2), nothing written', () => {
    const cwd = tempDir('packed-yo-');
    for (const [flags, expected] of [
      [{ dryrun: true }, /unknown option --dryrun; did you mean --dry-run\?/],
      [{ 'metadata-service-cpus': '4096' }, /unknown option --metadata-service-cpus; did you mean --metadata-service-cpu\?/],
      [{ 'skip-install': true }, /--skip-install: a Yeoman option that does nothing for this generator/],
    ] as const) {
      const refused = yoLike(cwd, ['metaflow-metadata', 'out'], { answers: DEMO_FILE, 'skip-git': 'true', ...flags });
      assert.equal(refused.status, 2, `${JSON.stringify(flags)}: ${refused.stderr}`);
      assert.match(refused.stderr, expected);
      assert.match(refused.stderr, /Run yo metaflow-metadata --help for the options/);
      assert.deepEqual(readdirSync(cwd), [], `${JSON.stringify(flags)}: nothing written`);
    }
  });

  it('the companion create-metaflow-metadata: the same version, pinned exactly, the same licence', () => {
    const companion = join(ROOT, 'packages', 'create-metaflow-metadata');
    const pkg = JSON.parse(readFileSync(join(companion, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string> };
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
    assert.equal(pkg.version, root.version);
    assert.deepEqual(pkg.dependencies, { 'generator-metaflow-metadata': root.version });
    assert.equal(pkg.license, root.license);
    assert.equal(readFileSync(join(companion, 'LICENSE'), 'utf8'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^\s*Apache License\n\s*Version 2\.0, January 2004/);
    assert.match(readFileSync(join(companion, 'index.js'), 'utf8'), /import 'generator-metaflow-metadata\/generators\/cli\.js';/);
  });
});

describe('the release workflow', () => {
  type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; 'working-directory'?: string };
  type Job = { needs?: string; permissions?: Record<string, string>; steps: Step[] };
  const text = readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8');
  const workflow = parseYaml(text) as {
    on: { push: { tags: string[]; branches?: unknown } };
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
  };

  it('runs on version tags only, with the least permissions', () => {
    assert.deepEqual(Object.keys(workflow.on), ['push']);
    assert.deepEqual(workflow.on.push.tags, ['v[0-9]+.[0-9]+.[0-9]+']);
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    assert.deepEqual(workflow.jobs.test?.permissions, { contents: 'read' });
    assert.deepEqual(workflow.jobs.publish?.permissions, { contents: 'read', 'id-token': 'write' });
    // Every action pinned to a release's commit, the release named after it.
    assert.equal(pinnedUses(text, workflow).length, 5);
  });

  it('tests first (the versions agree, npm ci, npm test with real Terraform), then publishes both packages with provenance', () => {
    const test = workflow.jobs.test as Job;
    const runs = test.steps.map((step) => step.run ?? '');
    assert.ok(runs.some((run) => run.includes("dependencies['generator-metaflow-metadata']") && run.includes('GITHUB_REF_NAME') && run.includes('exit 1')), 'version check');
    assert.ok(runs.includes('npm ci --no-audit --no-fund'));
    // On every supported major: the matrix is package.json's engines, major by major.
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const majors = [...engines.matchAll(/(\d+)\.\d+/g)].map((match) => Number(match[1]));
    const matrix = (test as Job & { strategy: { matrix: { node: number[] } } }).strategy.matrix.node;
    assert.deepEqual(matrix.slice(0, majors.length), majors, `the matrix starts with the majors of engines ${engines}`);
    assert.ok(matrix.length > majors.length && matrix.at(-1)! > majors.at(-1)!, 'and runs the current major after them');
    assert.equal(test.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'], '${{ matrix.node }}');
    assert.equal(test.steps.find((step) => step.run === 'npm test')?.env?.REQUIRE_TERRAFORM, '1');
    assert.ok(test.steps.some((step) => step.uses?.startsWith('hashicorp/setup-terraform@')));
    const publish = workflow.jobs.publish as Job;
    assert.equal(publish.needs, 'test');
    const publishes = publish.steps.filter((step) => step.run?.startsWith('npm publish'));
    assert.deepEqual(
      publishes.map((step) => [step.run, step['working-directory'] ?? '.']),
      [
        ['npm publish --provenance --access public', '.'],
        ['npm publish --provenance --access public', 'packages/create-metaflow-metadata'],
      ],
    );
  });
});
