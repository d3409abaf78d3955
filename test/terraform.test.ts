// Real Terraform is the judge: every answer variant is rendered, then
// `terraform init`, `terraform validate` and the generated repository's own
// `terraform test` run in the module and in examples/complete.
//
// Needs a `terraform` binary on PATH and the hashicorp/aws provider: from a
// local mirror (TF_PLUGIN_DIR, or where Terraform looks by itself: see
// test/providers.ts), else from the registry. Without either the tests say so
// in one loud line and skip; with REQUIRE_TERRAFORM=1 (set by .ci/run whenever
// a binary is present) a skip is a failure.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { INPUT_BY_NAME } from '../src/lib/inputs/catalogue.js';
import { iamPolicies } from '../src/lib/render/grants.js';
import { hclString } from '../src/lib/render/hcl.js';
import { fixtureInputs, mockAccount } from '../src/lib/render/testcases.js';
import type { FileContent } from '../src/lib/render/render.js';
import { block, literal, parseModule, renderVariant, tempDir, type Json, variant, VARIANTS } from './helpers.js';
import { findProviders, holdsUnpackedAws } from './providers.js';

const exec = promisify(execFile);

/** -1, 0 or 1 as version `a` is lower than, equal to or higher than `b` (major.minor.patch). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return Math.sign((x![i] ?? 0) - (y![i] ?? 0));
  return 0;
}
const REQUIRED = process.env.REQUIRE_TERRAFORM === '1';
const version = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
const terraform: string | undefined = version.status === 0 ? (JSON.parse(version.stdout) as { terraform_version: string }).terraform_version : undefined;

const providers = terraform ? await findProviders() : undefined;
const missing = !terraform ? 'no terraform binary on PATH' : providers?.kind === 'none' ? providers.why : undefined;
if (missing) {
  const why = `${missing}: the real-Terraform tests (validate, terraform test) are SKIPPED`;
  process.stderr.write(`\n!!! ${why}\n\n`);
  if (REQUIRED) {
    it('real Terraform is required here (REQUIRE_TERRAFORM=1)', () => assert.fail(why));
  }
}

/** Module files: everything the module directory's validate and test read. */
const inModule = (path: string): boolean => !path.startsWith('examples/') && (path.endsWith('.tf') || path.startsWith('tests/') || path.startsWith('functions/'));

function writeTree(dir: string, files: ReadonlyMap<string, FileContent>): void {
  for (const [path, contents] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

function hashOf(files: ReadonlyMap<string, FileContent>, keep: (path: string) => boolean): string {
  const hash = createHash('sha256');
  for (const [path, contents] of files) if (keep(path)) hash.update(`${path}\0`).update(contents).update('\0');
  return hash.digest('hex');
}

/** A bounded pool: at most `limit` terraform processes at once (each is CPU-heavy). */
function pool(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

describe('real Terraform', { skip: missing, concurrency: true }, () => {
  const work = tempDir('tf-real-');
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  // As many terraform processes as cores (measured on 2 cores: one at a time made the whole
  // suite slower, since this file is its longest); TF_TEST_PARALLELISM sets another number.
  const limit = pool(Math.max(1, Number(process.env.TF_TEST_PARALLELISM ?? availableParallelism())));
  const mirror = providers?.kind === 'mirror' ? providers.dir : undefined;
  const linked = mirror !== undefined && holdsUnpackedAws(mirror);
  // From the registry or a packed mirror, one plugin cache for every run, and one init at a time (two
  // installing into one cache at once collide: "file exists", or a package directory missing mid-copy).
  // From a mirror in the unpacked layout, init links each module's provider to the mirror itself: no
  // cache, no copy, nothing shared being written, so the inits need no lock.
  const initLock = linked ? <T>(job: () => Promise<T>): Promise<T> => job() : pool(1);
  const started = Date.now();
  let runBlocks = 0;

  before(() => {
    // One CLI configuration for every run (this machine's ~/.terraformrc is not ours):
    // the local mirror when there is one, and a shared plugin cache unless the mirror is linked.
    const cache = join(work, 'plugin-cache');
    if (!linked) mkdirSync(cache);
    const config = [
      ...(linked ? [] : [`plugin_cache_dir = ${hclString(cache)}`]),
      ...(mirror ? ['provider_installation {', `  filesystem_mirror {`, `    path = ${hclString(mirror)}`, '  }', '}'] : []),
    ].join('\n');
    writeFileSync(join(work, 'terraformrc'), `${config}\n`);
    env.TF_CLI_CONFIG_FILE = join(work, 'terraformrc');
    process.stderr.write(`real Terraform ${terraform}; providers from ${mirror ? `the mirror ${mirror}` : 'the registry'}\n`);
  });

  after(() => {
    process.stderr.write(`real Terraform: ${runBlocks} terraform test run blocks passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    rmSync(work, { recursive: true, force: true });
  });

  const tf = (cwd: string, ...args: string[]) =>
    limit(async () => {
      try {
        const { stdout } = await exec('terraform', [...args, '-no-color'], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
        return stdout;
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        assert.fail(`terraform ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
      }
    });

  const init = (dir: string) => initLock(() => tf(dir, 'init', '-backend=false', '-input=false'));

  /** init, validate (unless `validated`) and test one directory; returns the number of run blocks that passed. */
  async function check(dir: string, validated = false): Promise<number> {
    await init(dir);
    if (!validated) await validate(dir);
    const test = await tf(dir, 'test');
    const summary = /Success! (\d+) passed, 0 failed\./.exec(test);
    assert.ok(summary, test);
    const passed = Number(summary[1]);
    assert.ok(passed > 0, 'terraform test ran no run block');
    runBlocks += passed;
    return passed;
  }

  async function validate(dir: string): Promise<void> {
    const validate = JSON.parse(await tf(dir, 'validate', '-json')) as { valid: boolean; warning_count: number; diagnostics: { summary: string }[] };
    assert.ok(validate.valid, JSON.stringify(validate.diagnostics, null, 2));
    assert.equal(validate.warning_count, 0, `validate warned: ${JSON.stringify(validate.diagnostics, null, 2)}`);
  }

  // The module's files do not depend on the answers, and the example's only
  // through its tfvars and tests, which validate does not read: validate and
  // test each distinct module once, validate each distinct example once, and
  // run the example's tests (they plan and apply the answers) for the variants
  // whose answers change what the example's own assertions check: the
  // partition and region, API Gateway (and its key) on or off. The other
  // variants' choices (an existing cluster, no API key, a public IP, an open
  // access list, a shared role) are each a run of the module's own tests.
  const trees = new Map<string, ReadonlyMap<string, FileContent>>();
  const modules = new Map<string, string[]>(); // module hash → variants
  const examples = new Map<string, string>(); // example config hash → first variant
  const exampleChecks: [string, string | undefined][] = [];
  const dirOf = (name: string): string => join(work, name.replace(/[^a-z0-9]+/gi, '-'));
  before(() => {
    for (const [dir, files] of trees) writeTree(dir, files);
  });
  const EXAMPLE_VARIANTS = new Set(['demo', 'govcloud', 'private only']);
  for (const [name, changes] of Object.entries(VARIANTS)) {
    const files = renderVariant(changes);
    trees.set(dirOf(name), files);
    const moduleHash = hashOf(files, inModule);
    modules.set(moduleHash, [...(modules.get(moduleHash) ?? []), name]);
    const exampleHash = hashOf(files, (path) => path.startsWith('examples/complete/') && !path.startsWith('examples/complete/tests/') && !path.endsWith('.tfvars'));
    const validatedWith = examples.get(exampleHash);
    if (!validatedWith) examples.set(exampleHash, name);
    if (EXAMPLE_VARIANTS.has(name) || !validatedWith) exampleChecks.push([name, validatedWith]);
  }
  // The module's tests are the longest: ask for a process slot first.
  for (const [first, ...same] of modules.values()) {
    const also = same.length > 0 ? ` (module files identical for ${same.map((n) => `"${n}"`).join(', ')})` : '';
    it(`${first}: validate and terraform test in the module${also}`, async () => {
      const passed = await check(dirOf(first!));
      assert.ok(passed >= 10, `only ${passed} run blocks in the module's tests`);
    });
  }
  // Terraform 1.12 and later short-circuit || and &&, so there the mutant plans
  // fine and proves nothing; the generated repository's CI runs its tests on the
  // lowest Terraform it supports too, where the mutant fails as here.
  const shortCircuits = terraform !== undefined && compareVersions(terraform, '1.12.0') >= 0;
  it('catches what static checks cannot: a validation that leans on || fails the plan of the null default', { skip: shortCircuits && `terraform ${terraform} short-circuits ||: this mutation needs a Terraform before 1.12` }, async () => {
    const files = new Map(renderVariant());
    const sound = 'var.ecs_cluster_id == null ? true : try(split(":", var.ecs_cluster_id)[1] == var.iam_partition, false)';
    const variables = files.get('variables.tf') as string;
    assert.ok(variables.includes(sound), 'the null-safe rule is where this test expects it');
    files.set('variables.tf', variables.replace(sound, 'var.ecs_cluster_id == null || split(":", var.ecs_cluster_id)[1] == var.iam_partition'));
    const dir = join(work, 'mutant');
    writeTree(dir, files);
    await init(dir);
    const failed = await limit(() => exec('terraform', ['test', '-no-color', '-filter=tests/china.tftest.hcl'], { cwd: dir, env }).then(() => undefined, (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`));
    assert.ok(failed, 'terraform test passed a module whose plan cannot succeed');
    assert.match(failed, /Invalid function argument/);
    assert.match(failed, /var\.ecs_cluster_id is null/);
  });

  it('the IAM test can fail: the task role widened to every object makes tests/iam.tftest.hcl fail on exactly that policy', async () => {
    const files = new Map(renderVariant());
    const narrow = 'resources = ["${var.s3_bucket_arn}/*"]';
    const iam = files.get('iam.tf') as string;
    assert.equal(iam.split(narrow).length, 2, 'the object grant is where this test expects it, once');
    files.set('iam.tf', iam.replace(narrow, 'resources = ["*"]'));
    // Only the run that reads the task policy: the other one costs a provider start for nothing here.
    const test = files.get('tests/iam.tftest.hcl') as string;
    assert.ok(test.includes('\nrun "given_execution_role" {'));
    files.set('tests/iam.tftest.hcl', test.slice(0, test.indexOf('\nrun "given_execution_role" {')));
    const dir = join(work, 'mutant-iam');
    writeTree(dir, files);
    await init(dir);
    const failed = await limit(() => exec('terraform', ['test', '-no-color', '-filter=tests/iam.tftest.hcl'], { cwd: dir, env }).then(() => undefined, (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`));
    assert.ok(failed, 'terraform test passed a task role that reads every object in every bucket');
    const text = failed.replace(/\s+/g, ' ');
    const task = iamPolicies(fixtureInputs(), mockAccount(fixtureInputs(), String(INPUT_BY_NAME.get('aws_region')?.example))).find((c) => c.policy === 'aws_iam_role_policy.task.policy');
    assert.ok(task && text.includes(task.what), failed);
    assert.equal(text.split('Error: Test assertion failed').length - 1, 1, `one assertion fails, the task policy's:\n${failed}`);
  });

  it('examples/complete with API Gateway logging on: the module\'s preconditions still stop a bad plan at plan, not at apply', async () => {
    // A dependency of the whole module call on a resource with pending changes
    // (the example once had one, on the account's API Gateway settings) makes
    // Terraform read every data source of the module at apply only: the subnet
    // preconditions then pass the plan. Two subnets in one zone must fail it.
    const changes = { enable_api_gateway_logging: true };
    const answers = variant(changes);
    assert.equal(answers.enable_api_gateway, true);
    const files = new Map(renderVariant(changes));
    const dir = join(work, 'example-logging');
    const precondition = block(await parseModule(files), 'resource', 'aws_lb', 'this').lifecycle[0].precondition.map((p: Json) => literal(p.error_message)).find((m: string) => m.includes('availability zones'));
    assert.ok(precondition, 'the load balancer\'s zone precondition');
    const answersTest = files.get('examples/complete/tests/answers.tftest.hcl') as string;
    const { subnets, vpcId } = mockAccount(answers, String(answers.aws_region));
    files.set(
      'examples/complete/tests/zones.tftest.hcl',
      `${answersTest.slice(0, answersTest.indexOf('run "'))}run "one_zone_with_logging" {
  command = plan

  override_data {
    target = module.metadata_service.data.aws_subnet.second
    values = {
      arn               = ${hclString(subnets[1]!.arn)}
      vpc_id            = ${hclString(vpcId)}
      availability_zone = ${hclString(subnets[0]!.zone)}
    }
  }
}
`,
    );
    writeTree(dir, files);
    const example = join(dir, 'examples', 'complete');
    await init(example);
    const failed = await limit(() => exec('terraform', ['test', '-no-color', '-filter=tests/zones.tftest.hcl'], { cwd: example, env }).then(() => undefined, (error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`));
    assert.ok(failed, 'a plan with two subnets in one zone passed: the module\'s checks wait for apply');
    assert.match(failed, /run "one_zone_with_logging"\.\.\. fail/);
    assert.ok(failed.replace(/\s+/g, ' ').includes(precondition), failed);
  });

  for (const [name, validatedWith] of exampleChecks) {
    const what = validatedWith ? `terraform test (validated with "${validatedWith}")` : 'validate and terraform test';
    it(`${name}: ${what} in examples/complete, with these answers`, async () => {
      await check(join(dirOf(name), 'examples', 'complete'), validatedWith !== undefined);
    });
  }
});
