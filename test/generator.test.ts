// The Yeoman generator driven by yeoman-test: answers file, flags, mocked
// prompts, stored answers, and refusal of bad input with nothing written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import helpers, { result } from 'yeoman-test';
import { complete, toText } from '../src/lib/answers.js';
import { INPUTS, type Value } from '../src/lib/catalogue.js';
import { digest, manifestOf } from '../src/lib/manifest.js';
import { packageVersion, render } from '../src/lib/render.js';
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

  it('asks again for an answer a later answer made wrong', async () => {
    // The region is checked against the partition only once both are known.
    const answers = { ...textAnswers(demoAnswers()), iam_partition: 'aws-cn', proceed: true };
    const ctx = helpers.run(GENERATOR).withOptions({ interactive: true, skipGit: true } as never).withAnswers(answers);
    await assert.rejects(ctx, /aws_region: "us-east-1" is not a region of partition "aws-cn"/);
    const asked = ctx.askedQuestions.map((q) => q.name);
    assert.equal(asked.filter((name) => name === 'aws_region').length, 3, 'asked again, up to three times');
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
    const previousRun = (edit: (dir: string) => void) => (dir: string) => {
      const files = render(complete(demoAnswers()), { version: '0.0.1' });
      for (const [path, text] of files) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const config = { 'generator-metaflow-metadata': { version: '0.0.1', answers: complete(demoAnswers()), files: manifestOf(files) } };
      writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(config));
      edit(dir);
    };

    it('upgrades files the user never touched, without asking', async () => {
      const outdated = '# what an older generator wrote\n';
      await helpers
        .run(GENERATOR)
        .onTargetDirectory(
          previousRun((dir) => {
            // An older generator wrote different text, and recorded it.
            writeFileSync(join(dir, 'nlb.tf'), outdated);
            const rc = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'));
            rc['generator-metaflow-metadata'].files['nlb.tf'] = digest(outdated);
            writeFileSync(join(dir, '.yo-rc.json'), JSON.stringify(rc));
          }),
        )
        .withOptions({ skipGit: true, force: false } as never);
      assert.notEqual(readFileSync(join(result.cwd, 'nlb.tf'), 'utf8'), outdated);
      await parseHcl('nlb.tf', readFileSync(join(result.cwd, 'nlb.tf'), 'utf8'));
    });

    it('unattended, refuses to overwrite a file the user changed, and writes nothing', async () => {
      const mine = 'locals {\n  mine = true\n}\n';
      const ctx = helpers
        .run(GENERATOR)
        .onTargetDirectory(previousRun((dir) => writeFileSync(join(dir, 'locals.tf'), mine)))
        .withOptions({ skipGit: true, force: false, 'resource-suffix': 'prod' } as never);
      await assert.rejects(ctx, /changed since the generator last wrote it; nothing was written:\n  - locals\.tf/);
      const dir = ctx.targetDirectory!;
      assert.equal(readFileSync(join(dir, 'locals.tf'), 'utf8'), mine);
      const tfvars = await parseHcl('t', readFileSync(join(dir, 'examples/complete/terraform.tfvars'), 'utf8'));
      assert.equal(literal(tfvars.resource_suffix), 'dev', 'no other file was touched either');
    });

    it('--force overwrites the changed file', async () => {
      await helpers
        .run(GENERATOR)
        .onTargetDirectory(previousRun((dir) => writeFileSync(join(dir, 'locals.tf'), 'locals {}\n')))
        .withOptions({ skipGit: true, force: true } as never);
      assert.notEqual(readFileSync(join(result.cwd, 'locals.tf'), 'utf8'), 'locals {}\n');
    });
  });
});
