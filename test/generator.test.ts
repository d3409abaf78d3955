// The Yeoman generator driven by yeoman-test: answers file, flags, mocked
// prompts, stored answers, and refusal of bad input with nothing written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { helpers, result } from './yeoman.js';
import { complete, toText } from '../src/lib/intake/answers.js';
import { INPUTS, type Value } from '../src/lib/inputs/catalogue.js';
import { packageVersion } from '../src/lib/package.js';
import { runEngine } from './engine.js';
import { DEMO_FILE, ROOT, demoAnswers, literal, parseHcl } from './helpers.js';

// The compiled generator, as users run it; resolved before helpers.run changes directory.
const GENERATOR = join(ROOT, 'generators', 'app', 'index.js'); // built by npm test

/** Answers as a person would type them at the prompts. */
function textAnswers(answers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const input of INPUTS) {
    if (!(input.name in answers)) continue;
    const value = answers[input.name] as Value;
    out[input.name] = typeof value === 'boolean' || typeof value === 'number' ? value : toText(input, value);
  }
  return out;
}

const stored = (dir: string) => JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-metaflow-metadata'];

describe('generator', () => {
  it('writes the module from an answers file without asking anything', async () => {
    await helpers.run(GENERATOR).withArguments(['out']).withOptions({ answers: DEMO_FILE, skipGit: true } as never);
    const dir = join(result.cwd, 'out');
    result.assertFile(['out/variables.tf', 'out/ecs.tf', 'out/examples/complete/terraform.tfvars', 'out/.yo-rc.json']);
    assert.deepEqual(result.askedQuestions, []);
    const config = stored(dir);
    assert.equal(config.version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    assert.equal(config.answers.resource_prefix, 'metaflow');
    assert.equal(config.answers.iam_partition, 'aws');
    assert.ok(!existsSync(join(dir, '.git')), '--skip-git');
  });

  it('takes every input as a flag, flags winning over the answers file', async () => {
    await helpers
      .run(GENERATOR)
      .withOptions({ answers: DEMO_FILE, skipGit: true, 'resource-suffix': 'prod', 'vpc-cidr-blocks': '10.1.0.0/16,10.2.0.0/16', 'api-basic-auth': false } as never);
    const config = stored(result.cwd);
    assert.equal(config.answers.resource_suffix, 'prod');
    assert.deepEqual(config.answers.vpc_cidr_blocks, ['10.1.0.0/16', '10.2.0.0/16']);
    assert.equal(config.answers.api_basic_auth, false);
    const tfvars = await parseHcl('t', readFileSync(join(result.cwd, 'examples/complete/terraform.tfvars'), 'utf8'));
    assert.equal(literal(tfvars.resource_suffix), 'prod');
  });

  it('through yo: API Gateway is asked first in its group, No skips and does not store what it makes moot; No at the summary changes one answer, then writes', async () => {
    const asked = new Map<string, number>();
    await helpers
      .run(GENERATOR)
      .withOptions({ interactive: true, skipGit: true } as never)
      .withAnswers({ ...textAnswers(demoAnswers()), enable_api_gateway: false, proceed: true, next: 'answer', field: 'resource_suffix' }, {
        callback: (answer: unknown, { question }: { question: { name?: string } }) => {
          const name = question.name ?? '';
          const times = (asked.get(name) ?? 0) + 1;
          asked.set(name, times);
          if (name === 'proceed') return times > 1; // No, then Yes
          if (name === 'resource_suffix' && times > 1) return 'prod';
          return answer;
        },
      } as never);
    const order = result.askedQuestions.map((q) => q.name);
    const access = order.indexOf('enable_api_gateway');
    assert.ok(access > order.indexOf('datastore_s3_bucket_kms_key_arn'), 'the access group comes after storage');
    assert.deepEqual(order.slice(access, order.indexOf('standard_tags')), ['enable_api_gateway'], 'nothing the No makes moot is asked');
    assert.deepEqual(order.slice(order.indexOf('proceed')), ['proceed', 'next', 'field', 'resource_suffix', 'proceed']);
    const { answers } = stored(result.cwd);
    assert.equal(answers.resource_suffix, 'prod');
    assert.equal(answers.enable_api_gateway, false);
    for (const moot of ['access_list_cidr_blocks', 'api_basic_auth', 'allow_open_api', 'enable_api_gateway_logging', 'enable_api_gateway_tracing', 'api_throttle_rate_limit', 'api_throttle_burst_limit', 'api_quota_limit', 'api_quota_period']) {
      assert.ok(!(moot in answers), moot);
    }
  });

  it('asks every missing input at the prompt, grouped, and validates again afterwards', async () => {
    const answers = demoAnswers();
    await helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers({ ...textAnswers(answers), proceed: true });
    const asked = result.askedQuestions.map((q) => q.name);
    for (const name of ['aws_region', 'resource_prefix', 'vpc_cidr_blocks', 'standard_tags', 'proceed']) assert.ok(asked.includes(name), name);
    assert.ok(!asked.includes('is_gov'), 'GovCloud question only for aws-us-gov');
    assert.deepEqual(stored(result.cwd).answers.standard_tags, answers.standard_tags);
    assert.deepEqual(stored(result.cwd).answers.vpc_cidr_blocks, answers.vpc_cidr_blocks);
  });

  it('asks the GovCloud question only when that partition is chosen', async () => {
    const gov = {
      aws_region: 'us-gov-west-1',
      iam_partition: 'aws-us-gov',
      is_gov: true,
      database_password_secret_manager_arn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf',
      fargate_execution_role_arn: 'arn:aws-us-gov:iam::123456789012:role/ecs-execution',
      s3_bucket_arn: 'arn:aws-us-gov:s3:::gov-datastore',
      datastore_s3_bucket_kms_key_arn: 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    };
    const answers = { ...demoAnswers(), ...gov } as Record<string, unknown>;
    await helpers
      .run(GENERATOR)
      .withOptions({ interactive: true, skipGit: true } as never)
      .withAnswers({ ...textAnswers(answers), proceed: true });
    assert.ok(result.askedQuestions.some((q) => q.name === 'is_gov'));
    assert.equal(stored(result.cwd).answers.is_gov, true);
  });

  it('at a terminal, a complete answers file leaves only the confirmation to ask', async () => {
    const ctx = helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true, answers: DEMO_FILE } as never).withAnswers({ proceed: true });
    await ctx;
    assert.deepEqual(ctx.askedQuestions.map((q) => q.name), ['proceed']);
    assert.ok(existsSync(join(result.cwd, 'variables.tf')));
  });

  it('asks again for an answer a later answer made wrong', async () => {
    // The region is checked against the partition only once both are known.
    const answers = { ...textAnswers(demoAnswers()), iam_partition: 'aws-cn', proceed: true };
    const ctx = helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers(answers);
    await assert.rejects(ctx, /aws_region: "us-east-1" is not a region of partition "aws-cn"/);
    const asked = ctx.askedQuestions.map((q) => q.name);
    const regions = asked.filter((name) => name === 'aws_region').length;
    assert.ok(regions > 1 && regions <= 9, `asked again, a bounded number of times (${regions})`);
    // The region and the partition are asked again together: either may be the wrong one.
    assert.equal(asked.filter((name) => name === 'iam_partition').length, regions);
  });

  it('TLS at the prompt: disable is noted with what it breaks; verify-full asks for the CA bundle, and without one asks the mode again', async () => {
    const logged: string[] = [];
    const spyFactory = ({ returns }: { returns?: unknown }) => (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      return returns;
    };
    const disable = { ...textAnswers(demoAnswers()), database_ssl_mode: 'disable', proceed: true };
    const first = helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAdapterOptions({ spyFactory }).withAnswers(disable);
    await first;
    assert.ok(!first.askedQuestions.some((q) => q.name === 'database_ssl_root_cert_path'), 'no CA bundle asked for a mode that reads none');
    const notes = logged.filter((line) => line.startsWith('Note: database_ssl_mode:'));
    assert.equal(notes.length, 1, logged.join('\n'));
    assert.match(notes[0]!, /schema migrations \(goose[^)]*\) fail there/);

    const verify = { ...textAnswers(demoAnswers()), database_ssl_mode: 'verify-full', database_ssl_root_cert_path: '', proceed: true };
    const second = helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers(verify);
    await assert.rejects(second, /database_ssl_mode: verify-full checks the database server's certificate against a CA bundle/);
    const asked = second.askedQuestions.map((q) => q.name);
    const modes = asked.filter((name) => name === 'database_ssl_mode').length;
    assert.ok(modes > 1, 'the mode is asked again');
    assert.equal(asked.filter((name) => name === 'database_ssl_root_cert_path').length, modes, 'together with the bundle');

    const bundle = { ...verify, database_ssl_root_cert_path: '/etc/ssl/certs/rds-global-bundle.pem' };
    await helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers(bundle);
    assert.equal(stored(result.cwd).answers.database_ssl_root_cert_path, '/etc/ssl/certs/rds-global-bundle.pem');
  });

  it('refuses mocked answers that skip prompt validation, writing nothing', async () => {
    const answers = { ...demoAnswers(), vpc_cidr_blocks: '10.0.0.1/16', proceed: true };
    await assert.rejects(
      helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers(answers as never),
      /vpc_cidr_blocks: .*did you mean 10\.0\.0\.0\/16/,
    );
  });

  it('a re-run asks nothing already answered', async () => {
    await helpers
      .run(GENERATOR)
      .onTargetDirectory((dir) => {
        const config = { 'generator-metaflow-metadata': { version: '0.0.1', answers: complete(demoAnswers()) } };
        writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config));
      })
      .withOptions({ interactive: true, skipGit: true, force: true } as never)
      .withAnswers({ proceed: true });
    assert.deepEqual(
      result.askedQuestions.map((q) => q.name),
      ['proceed'],
    );
    assert.equal(stored(result.cwd).version, packageVersion(), 'the stored version follows the generator');
  });

  it('with missing answers and no terminal, fails listing every missing field and writes nothing', async () => {
    const ctx = helpers.run(GENERATOR).withArguments(['target']).withOptions({ 'resource-prefix': 'metaflow' } as never);
    await assert.rejects(ctx, (error: Error) => {
      for (const name of ['metaflow_vpc_id', 'subnet1_id', 'standard_tags', 'aws_region']) assert.match(error.message, new RegExp(`${name}: is required`));
      assert.doesNotMatch(error.message, /resource_prefix/);
      return true;
    });
    assert.ok(!existsSync(join(ctx.targetDirectory ?? process.cwd(), 'target')), 'no directory created');
  });

  it('reports a broken stored .yo-rc.json instead of overwriting it', async () => {
    await assert.rejects(
      helpers
        .run(GENERATOR)
        .onTargetDirectory((dir) => {
          writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify({ 'generator-metaflow-metadata': { answers: { metadata_service_cpu: 'big' } } }));
        })
        .withOptions({ answers: DEMO_FILE } as never),
      /metadata_service_cpu: expected a number, got the string "big" \(in \.yo-rc\.json\)/,
    );
  });

  describe('re-running over an existing repository', () => {
    /** A repository as a first run of this generator left it, then `edit`ed by its owner. */
    const previousRun = (edit: (dir: string) => void = () => {}) => async (dir: string) => {
      await runEngine(dir, { answers: complete(demoAnswers()), version: packageVersion() });
      edit(dir);
    };
    const snapshot = (dir: string) => Object.fromEntries(['ecs.tf', 'locals.tf', 'examples/complete/terraform.tfvars', 'README.md', '.yo-rc.json', '.generator/manifest'].map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
    const tfvars = async (dir: string) => parseHcl('t', readFileSync(join(dir, 'examples/complete/terraform.tfvars'), 'utf8'));

    it('with the same answers, changes nothing', async () => {
      let before: Record<string, string> = {};
      await helpers
        .run(GENERATOR)
        .onTargetDirectory(async (dir) => {
          await previousRun()(dir);
          before = snapshot(dir);
        })
        .withOptions({ skipGit: true, force: false } as never); // yeoman-test passes force: true unless told
      assert.deepEqual(snapshot(result.cwd), before);
    });

    it('a changed answer updates the untouched files; an edit elsewhere never blocks it', async () => {
      const mine = '\n# Reviewed by the platform team.\n';
      await helpers
        .run(GENERATOR)
        .onTargetDirectory(previousRun((dir) => writeFileSync(join(dir, 'ecs.tf'), readFileSync(join(dir, 'ecs.tf'), 'utf8') + mine)))
        .withOptions({ skipGit: true, force: false, 'resource-suffix': 'prod' } as never);
      assert.equal(literal((await tfvars(result.cwd)).resource_suffix), 'prod');
      assert.ok(readFileSync(join(result.cwd, 'ecs.tf'), 'utf8').endsWith(mine), 'the edit stays');
      assert.equal(stored(result.cwd).answers.resource_suffix, 'prod');
    });

    it('an edit in a file the new answers also change is merged, both changes kept, without asking even at a terminal', async () => {
      await helpers
        .run(GENERATOR)
        .onTargetDirectory(
          previousRun((dir) => {
            const path = join(dir, 'examples/complete/terraform.tfvars');
            writeFileSync(path, `# Production values live in prod.tfvars.\n${readFileSync(path, 'utf8')}`);
          }),
        )
        .withOptions({ skipGit: true, force: false, interactive: true, 'resource-suffix': 'prod' } as never)
        .withAnswers({ proceed: true });
      const text = readFileSync(join(result.cwd, 'examples/complete/terraform.tfvars'), 'utf8');
      assert.ok(text.startsWith('# Production values live in prod.tfvars.\n'));
      assert.equal(literal((await tfvars(result.cwd)).resource_suffix), 'prod');
    });

    it('--force at a terminal asks before replacing uncommitted work: no writes nothing, yes replaces it', async () => {
      const tfvars = 'examples/complete/terraform.tfvars';
      const committedThenEdited = previousRun((dir) => {
        const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
        git('init', '--quiet');
        git('add', '-A');
        git('commit', '--quiet', '-m', 'generated');
        writeFileSync(join(dir, tfvars), `${readFileSync(join(dir, tfvars), 'utf8')}# ours, not committed\n`);
      });
      for (const replace of [false, true]) {
        const ctx = helpers
          .run(GENERATOR)
          .onTargetDirectory(committedThenEdited)
          .withOptions({ skipGit: true, force: true, interactive: true, 'resource-suffix': 'prod' } as never)
          .withAnswers({ proceed: true, replace });
        if (!replace) {
          await assert.rejects(ctx, /--force would replace uncommitted changes \(git cannot bring them back\):\n {2}- examples\/complete\/terraform\.tfvars/);
          assert.match(readFileSync(join(ctx.targetDirectory!, tfvars), 'utf8'), /# ours, not committed/, 'nothing written');
        } else {
          await ctx;
          assert.doesNotMatch(readFileSync(join(result.cwd, tfvars), 'utf8'), /# ours, not committed/);
        }
        assert.ok(ctx.askedQuestions.some((q) => q.name === 'replace'), 'asked');
      }
    });

    it('a conflicting edit: markers written, the file named, a failed run; the stored answers match what was written', async () => {
      const ctx = helpers
        .run(GENERATOR)
        .onTargetDirectory(
          previousRun((dir) => {
            const path = join(dir, 'examples/complete/terraform.tfvars');
            writeFileSync(path, readFileSync(path, 'utf8').replace(/^resource_suffix( +)= "dev"$/m, 'resource_suffix$1= "staging"'));
          }),
        )
        .withOptions({ skipGit: true, force: false, 'resource-suffix': 'prod' } as never);
      await assert.rejects(ctx, /1 file has conflicts[\s\S]*examples\/complete\/terraform\.tfvars/);
      const dir = ctx.targetDirectory!;
      const text = readFileSync(join(dir, 'examples/complete/terraform.tfvars'), 'utf8');
      assert.match(text, /<<<<<<< yours\nresource_suffix +=  ?"staging"\n\|{7} last generated \([^\n]*, previous answers\)\nresource_suffix += "dev"\n=======\nresource_suffix += "prod"\n>>>>>>> new \([^\n]*, new answers\)\n/);
      assert.equal(stored(dir).answers.resource_suffix, 'prod', '.yo-rc.json says what the generator wrote');
    });
  });
});
