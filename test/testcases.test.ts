// The generated repo's terraform tests: their fixtures are valid answers,
// each validation rule's failing value is refused by the generator too (one
// rule, one source), and the packed validation runs keep rules apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INPUTS, MODULE_INPUTS } from '../src/lib/inputs/catalogue.js';
import { checkInput, complete } from '../src/lib/intake/answers.js';
import type { Partition } from '../src/lib/inputs/validators.js';
import { PARTITION_REGIONS, fixtureInputs, mockAccount, validationRounds } from '../src/lib/render/testcases.js';
import { VARIANTS, demoAnswers, parseHcl, renderVariant, textOf } from './helpers.js';

describe('test fixtures', () => {
  const partitions = [['aws', 'us-east-1'], ...Object.entries(PARTITION_REGIONS)] as [Partition, string][];
  for (const [partition, region] of partitions) {
    it(`${partition}: the fixture inputs are a valid answer set in ${region}`, () => {
      const answers = complete({ ...fixtureInputs(partition, region), aws_region: region });
      assert.equal(answers.iam_partition, partition);
      const account = mockAccount(answers, region);
      assert.equal(account.partition, partition);
      assert.notEqual(account.subnets[0]?.zone, account.subnets[1]?.zone, 'the two subnets sit in two zones');
      for (const subnet of account.subnets) assert.match(subnet.arn, new RegExp(`^arn:${partition}:ec2:${region}:[0-9]{12}:subnet/subnet-`));
      // The database lives in the partition's region, under its DNS suffix.
      const host = String(answers.rds_master_instance_endpoint).split(':')[0]!;
      assert.ok(host.endsWith(`.${region}.rds.${account.dnsSuffix}`), host);
      if (region !== 'us-east-1') assert.doesNotMatch(JSON.stringify(fixtureInputs(partition, region)), /us-east-1/, 'nothing left in the example region');
    });
  }
});

it('the GovCloud variant names nothing outside GovCloud', () => {
  const answers = complete({ ...demoAnswers(), ...VARIANTS.govcloud });
  assert.doesNotMatch(JSON.stringify(answers), /us-east-1|arn:aws:/);
});

describe('validation rules and their failing values', () => {
  const fixtures = { ...fixtureInputs(), aws_region: 'us-east-1' };
  for (const input of INPUTS) {
    for (const [i, rule] of (input.hcl ?? []).entries()) {
      it(`${input.name} rule ${i + 1}: the generator refuses the value the terraform test refuses`, () => {
        const answers = complete({ ...fixtures });
        const problem = checkInput(input, rule.invalid, { ...answers, ...rule.context, [input.name]: rule.invalid });
        assert.ok(problem, `${input.name}: ${JSON.stringify(rule.invalid)} passes the generator but is meant to fail "${rule.message}"`);
      });
    }
  }

  it('every rule is refused in exactly one run, and no run refuses two inputs where one reads the other', () => {
    const rounds = validationRounds();
    const seen = new Map<string, number>();
    for (const round of rounds) {
      const names = Object.keys(round.invalid);
      for (const name of names) seen.set(name, (seen.get(name) ?? 0) + 1);
      for (const a of names) {
        const rules = MODULE_INPUTS.find((input) => input.name === a)?.hcl ?? [];
        for (const b of names) {
          if (a !== b) assert.ok(!rules.some((rule) => new RegExp(`\\bvar\\.${b}\\b`).test(rule.condition)), `${round.run}: ${a} reads ${b}`);
        }
      }
    }
    for (const input of MODULE_INPUTS) assert.equal(seen.get(input.name) ?? 0, input.hcl?.length ?? 0, input.name);
    assert.ok(rounds.length <= 4, `${rounds.length} runs`);
  });

  it('the generated validation tests expect exactly these failures', async () => {
    const files = renderVariant();
    const parsed = await parseHcl('tests/validation.tftest.hcl', textOf(files, 'tests/validation.tftest.hcl'));
    const runs = parsed.run as Record<string, { variables: Record<string, unknown>[]; expect_failures: string[] }[]>;
    const rounds = validationRounds();
    assert.deepEqual(Object.keys(runs), rounds.map((round) => round.run));
    for (const round of rounds) {
      const [run] = runs[round.run]!;
      assert.deepEqual(Object.keys(run!.variables[0]!).sort(), Object.keys({ ...round.context, ...round.invalid }).sort());
      assert.deepEqual(run!.expect_failures, Object.keys(round.invalid).map((name) => `\${var.${name}}`));
    }
  });
});
