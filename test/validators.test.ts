import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from '../src/lib/inputs/validators.js';
import { INPUTS, INPUT_BY_NAME } from '../src/lib/inputs/catalogue.js';
import { checkInput, fieldProblem } from '../src/lib/intake/answers.js';
import { SDK_PARTITIONS, parsePartitions } from '../src/lib/inputs/regions.js';
import { partition as sdkPartition } from '@aws-sdk/core/client';

/** Strings that would break out of an HCL string if written unescaped. */
export const HCL_BREAKERS = ['"', '\\', '${file("/etc/passwd")}', '%{ if true }x%{ endif }', 'a\nb', '<<EOF', '\u0000', ''];

const accepts = (problem: v.Problem) => assert.equal(problem, undefined);
const rejects = (problem: v.Problem, pattern?: RegExp) => {
  assert.equal(typeof problem, 'string', 'expected a problem');
  if (pattern) assert.match(problem as string, pattern);
};

describe('cidr', () => {
  it('accepts canonical IPv4 networks', () => {
    for (const c of ['10.0.0.0/16', '0.0.0.0/0', '192.168.1.7/32', '172.16.0.0/12']) accepts(v.cidr(c));
  });
  it('names the canonical network for a host address', () => {
    rejects(v.cidr('10.0.0.1/16'), /did you mean 10\.0\.0\.0\/16/);
  });
  it('rejects non-CIDR text, IPv6 and breakers', () => {
    for (const c of ['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '::/0', ' 10.0.0.0/8', '010.0.0.0/8', ...HCL_BREAKERS]) rejects(v.cidr(c));
  });
  it('lists: duplicates and emptiness', () => {
    rejects(v.cidrList(['10.0.0.0/8', '10.0.0.0/8']), /twice/);
    accepts(v.cidrList([]));
    rejects(v.nonEmptyCidrList([]), /at least one/);
    rejects(v.cidrList(['10.0.0.0/8', 'x']), /item 2/);
  });
});

describe('ids', () => {
  it('vpc and subnet ids take 8 or 17 hex digits', () => {
    accepts(v.vpcId('vpc-0a1b2c3d'));
    accepts(v.vpcId('vpc-0a1b2c3d4e5f67890'));
    accepts(v.subnetId('subnet-0123456789abcdef0'));
    for (const id of ['vpc-0a1b2c3', 'vpc-0A1B2C3D', 'vpc-0a1b2c3d4e5f6789', 'subnet-0123abcd', 'vpc-', ...HCL_BREAKERS]) rejects(v.vpcId(id));
    for (const id of ['subnet-xyz12345', 'vpc-0a1b2c3d', 'subnet-0123456789abcdef', ...HCL_BREAKERS]) rejects(v.subnetId(id));
  });
  it('security group ids take 8 or 17 hex digits; another account\'s "account/sg-..." is refused with a pointer to database_cidr_blocks', () => {
    accepts(v.securityGroupId('sg-0123abcd'));
    accepts(v.securityGroupId('sg-0123456789abcdef0'));
    for (const id of ['sg-0123abc', 'sg-0123ABCD', 'sg-0123456789abcdef', 'sg-', 'vpc-0123abcd', ...HCL_BREAKERS]) rejects(v.securityGroupId(id));
    rejects(v.securityGroupId('123456789012/sg-0123abcd'), /database_cidr_blocks/);
    accepts(checkInput(INPUT_BY_NAME.get('database_security_group_id')!, null, {}));
    accepts(checkInput(INPUT_BY_NAME.get('database_cidr_blocks')!, [], {}));
    rejects(checkInput(INPUT_BY_NAME.get('database_cidr_blocks')!, ['10.30.0.1/16'], {}), /did you mean 10\.30\.0\.0\/16/);
  });
  it('the two subnets differ', () => {
    rejects(v.differentFrom('subnet-0123abcd', 'subnet-0123abcd', 'subnet1_id'), /subnet1_id/);
    accepts(v.differentFrom('subnet-0123abcd', 'subnet-0123abce', 'subnet1_id'));
  });
});

describe('regions and partitions', () => {
  it('regions', () => {
    for (const r of ['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-5']) accepts(v.region(r));
    for (const r of ['us-east', 'US-EAST-1', 'useast1', ...HCL_BREAKERS]) rejects(v.region(r));
    rejects(v.region('us-east-1', 'aws-us-gov'), /iam_partition/);
    accepts(v.region('us-gov-east-1', 'aws-us-gov'));
    accepts(v.region('cn-northwest-1', 'aws-cn'));
  });
  it('every region of the three partitions passes, and only with its own partition', () => {
    for (const partition of v.PARTITIONS) {
      assert.ok(v.REGIONS[partition].length > 0, partition);
      for (const r of v.REGIONS[partition]) {
        accepts(v.region(r));
        accepts(v.region(r, partition));
        assert.equal(v.partitionOfRegion(r), partition);
      }
    }
    assert.equal(v.ALL_REGIONS.length, v.PARTITIONS.reduce((n, p) => n + v.REGIONS[p].length, 0));
  });
  it('regions that match the pattern but do not exist are refused, with the nearest real one', () => {
    rejects(v.region('us-east-7', 'aws'), /^"us-east-7" is not a region of partition "aws": did you mean "us-east-1"\?$/);
    rejects(v.region('eu-wset-1'), /"eu-wset-1" is not an AWS region: did you mean "eu-west-1" \(partition "aws"\)\?/);
    rejects(v.region('US-EAST-2', 'aws'), /did you mean "us-east-2"\?/);
    rejects(v.region('ap-southeast-9', 'aws'), /did you mean "ap-southeast-[0-9]"\?/);
    // A typo of a region in another partition: suggested with its partition.
    rejects(v.region('us-gov-wset-1', 'aws'), /did you mean "us-gov-west-1" \(partition "aws-us-gov"\)\?/);
    rejects(v.region('cn-nrth-1', 'aws-cn'), /did you mean "cn-north-1"\?$/);
    // Nothing near: the partition's regions are listed.
    rejects(v.region('mars-north-1', 'aws-us-gov'), /is not a region of partition "aws-us-gov": expected one of us-gov-east-1, us-gov-west-1$/);
    rejects(v.region('aws-global', 'aws'), /expected one of .*us-east-1/);
  });
  it('a region of another partition gets the partition message', () => {
    rejects(v.region('us-gov-west-1', 'aws'), /^"us-gov-west-1" is not a region of partition "aws" \(iam_partition\): it is a region of "aws-us-gov"$/);
    rejects(v.region('cn-north-1', 'aws-us-gov'), /partition "aws-us-gov" \(iam_partition\): it is a region of "aws-cn"/);
    rejects(v.region('eu-west-1', 'aws-cn'), /it is a region of "aws"/);
  });
  it('regions of partitions the module does not support are named as such', () => {
    const iso = SDK_PARTITIONS.find((p) => !(v.PARTITIONS as readonly string[]).includes(p.id) && p.regions.length > 0);
    assert.ok(iso, 'the SDK lists at least one other partition');
    rejects(v.region(iso.regions[0]!, 'aws'), new RegExp(`partition "${iso.id}", which this module does not support`));
  });
  it('the list is the one the AWS SDK resolves regions with', () => {
    for (const partition of v.PARTITIONS) {
      for (const r of v.REGIONS[partition]) {
        const resolved = sdkPartition(r) as { name: string; description?: string };
        assert.equal(resolved.name, partition, r);
        assert.equal(typeof resolved.description, 'string', `${r}: the SDK lists it (a listed region carries its description)`);
      }
    }
    // Matched only by the SDK's pattern, not listed: no description, and refused here.
    assert.equal((sdkPartition('us-east-7') as { description?: string }).description, undefined);
    assert.ok(v.REGIONS.aws.includes('us-east-1') && v.REGIONS['aws-us-gov'].includes('us-gov-west-1') && v.REGIONS['aws-cn'].includes('cn-north-1'));
    assert.ok(!v.ALL_REGIONS.some((r) => r.endsWith('-global')), 'pseudo-regions are left out');
  });
  it('the partition data is parsed strictly', () => {
    const data = { partitions: [{ id: 'aws', regionRegex: '^us\\-\\w+\\-\\d+$', regions: { 'us-east-1': {}, 'aws-global': {} } }] };
    assert.deepEqual(parsePartitions(`export const partitionsInfo = ${JSON.stringify(data, null, 4)};\n`), [{ id: 'aws', regionRegex: data.partitions[0]!.regionRegex, regions: ['us-east-1'] }]);
    assert.throws(() => parsePartitions('module.exports = {}'), /export const partitionsInfo/);
    assert.throws(() => parsePartitions('export const partitionsInfo = {"partitions": []};'), /no "partitions" list/);
    assert.throws(() => parsePartitions('export const partitionsInfo = {"partitions": [{"id": "aws"}]};'), /lacks id, regionRegex or regions/);
  });
  it('variables.tf checks aws_region against the same list', () => {
    const [rule] = INPUT_BY_NAME.get('aws_region')!.hcl!;
    const listed = [...rule!.condition.matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(listed, [...v.ALL_REGIONS]);
    assert.match(rule!.condition, /^contains\(\[[\s\S]*\], var\.aws_region\)$/);
    assert.ok(!v.ALL_REGIONS.includes(rule!.invalid as string));
  });
  it('partitions and is_gov', () => {
    for (const p of v.PARTITIONS) accepts(v.partition(p));
    rejects(v.partition('aws-iso'));
    accepts(v.govFlag(true, 'aws-us-gov'));
    accepts(v.govFlag(false, 'aws'));
    rejects(v.govFlag(false, 'aws-us-gov'), /must be true/);
    rejects(v.govFlag(true, 'aws-cn'), /must be false/);
  });
});

describe('arn', () => {
  const good: [string, v.ArnKind][] = [
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-db-AbCdEf', 'secretsmanager-secret'],
    ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'kms-key'],
    ['arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab', 'kms-key'],
    ['arn:aws:iam::123456789012:role/ecs-execution', 'iam-role'],
    ['arn:aws:iam::123456789012:role/service-role/ecs-execution', 'iam-role'],
    ['arn:aws:s3:::metaflow-datastore', 's3-bucket'],
    ['arn:aws:ecs:us-east-1:123456789012:cluster/metaflow', 'ecs-cluster'],
    ['arn:aws-us-gov:s3:::gov-bucket', 's3-bucket'],
  ];
  it('accepts each kind', () => {
    for (const [arn, kind] of good) accepts(v.arn(arn, kind));
  });
  it('rejects the wrong service or resource type', () => {
    rejects(v.arn('arn:aws:s3:::bucket', 'iam-role'), /service "s3"/);
    rejects(v.arn('arn:aws:iam::123456789012:user/bob', 'iam-role'), /does not name an IAM role/);
    rejects(v.arn('arn:aws:kms:us-east-1:123456789012:alias/foo', 'kms-key'), /KMS key/);
    rejects(v.arn('arn:aws:s3:::bucket/key', 's3-bucket'), /S3 bucket/);
    rejects(v.arn('arn:aws:s3:us-east-1::bucket', 's3-bucket'), /region/);
    rejects(v.arn('arn:aws:secretsmanager:us-east-1:12345:secret:x', 'secretsmanager-secret'), /account/);
    rejects(v.arn('arn:aws:ecs:us-east-1:123456789012:service/x', 'ecs-cluster'), /ECS cluster/);
  });
  it('checks the partition against iam_partition', () => {
    rejects(v.arn('arn:aws:s3:::bucket', 's3-bucket', 'aws-us-gov'), /iam_partition is "aws-us-gov"/);
    accepts(v.arn('arn:aws-cn:s3:::bucket', 's3-bucket', 'aws-cn'));
    rejects(v.arn('arn:aws-xx:s3:::bucket', 's3-bucket'), /partition/);
  });
  it('rejects non-ARNs and breakers', () => {
    for (const text of ['arn', 'arn:aws:s3', 'bucket', 'arn:aws:s3:::bucket"x', ...HCL_BREAKERS]) rejects(v.arn(text, 's3-bucket'));
    rejects(v.arn('arn:aws:secretsmanager:us-east-1:123456789012:secret:a${b}', 'secretsmanager-secret'));
  });
});

describe('secret ARNs', () => {
  const full = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-db-password-AbCdEf';
  it('a full ARN passes, an RDS-managed one too', () => {
    accepts(v.secretArn(full));
    accepts(v.secretArn(full, 'aws'));
    accepts(v.secretArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-1111-2222-3333-444455556666-Xy12Z9'));
    accepts(v.secretArn('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:team/metaflow/db-000000', 'aws-us-gov'));
  });
  it('a partial ARN is refused, saying what is missing and how to get the full one', () => {
    const partial = full.replace(/-AbCdEf$/, '');
    rejects(v.secretArn(partial), /looks like a partial ARN: a full Secrets Manager ARN ends in -XXXXXX \(6 characters Secrets Manager appends to the name\)/);
    rejects(v.secretArn(partial), /`aws secretsmanager describe-secret --secret-id metaflow-db-password --query ARN`/);
    rejects(v.secretArn(`${partial}-AbCdE`), /partial ARN/); // 5 characters
    rejects(v.secretArn(`${partial}AbCdEf`), /partial ARN/); // no hyphen before them
    rejects(v.secretArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:AbCdEf'), /partial ARN/);
    rejects(v.secretArn('arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d'), /--secret-id 'rds!db-0a1b2c3d'/);
  });
  it('the other ARN checks still come first', () => {
    rejects(v.secretArn(full, 'aws-cn'), /iam_partition is "aws-cn"/);
    rejects(v.secretArn('arn:aws:ssm:us-east-1:123456789012:parameter/x-AbCdEf'), /service "ssm"/);
  });
  it('variables.tf applies the same rule, and its failing value is the partial example', () => {
    const input = INPUT_BY_NAME.get('database_password_secret_manager_arn')!;
    const rule = input.hcl!.find((r) => r.condition.includes(JSON.stringify(v.SECRET_FULL_ARN.source).slice(1, -1)));
    assert.ok(rule, 'a rule built from SECRET_FULL_ARN');
    assert.equal(rule.invalid, (input.example as string).replace(/-[A-Za-z0-9]{6}$/, ''));
    assert.match(fieldProblem(input, rule.invalid, {}) ?? '', /^database_password_secret_manager_arn: .*partial ARN/);
  });
});

describe('existing ECS cluster', () => {
  const cluster = 'arn:aws:ecs:us-east-1:123456789012:cluster/shared';
  const role = 'arn:aws:iam::123456789012:role/ecs-execution';
  it('same region and account pass', () => {
    accepts(v.clusterPlacement(cluster, 'us-east-1', role));
  });
  it('a cluster in another region is refused, naming both regions', () => {
    rejects(v.clusterPlacement(cluster.replace('us-east-1', 'eu-west-1'), 'us-east-1', role), /in region "eu-west-1", but aws_region is "us-east-1"/);
  });
  it('a cluster in another account is refused, naming both accounts', () => {
    rejects(
      v.clusterPlacement(cluster.replace('123456789012', '210987654321'), 'us-east-1', role),
      /in account 210987654321, but fargate_execution_role_arn is in account 123456789012: the ECS service, its cluster and its execution role live in one account/,
    );
  });
  it('checks only what the other answers tell', () => {
    const elsewhere = 'arn:aws:ecs:eu-west-1:210987654321:cluster/shared';
    accepts(v.clusterPlacement(elsewhere, undefined, undefined));
    accepts(v.clusterPlacement(elsewhere, 'us-east-7', null)); // invalid region: its own field says so
    accepts(v.clusterPlacement(elsewhere, 'eu-west-1', 'not-an-arn'));
    accepts(v.clusterPlacement(elsewhere, 'eu-west-1', null)); // the module creates the execution role
    accepts(v.clusterPlacement('not-an-arn', 'us-east-1', role)); // the ARN check reports it
  });
  it('through the catalogue, with the other answers', () => {
    const input = INPUT_BY_NAME.get('ecs_cluster_id')!;
    const answers = { aws_region: 'us-east-1', iam_partition: 'aws', fargate_execution_role_arn: role };
    assert.equal(checkInput(input, cluster, answers), undefined);
    assert.match(fieldProblem(input, cluster.replace('us-east-1', 'us-west-2'), answers) ?? '', /^ecs_cluster_id: .*region "us-west-2", but aws_region is "us-east-1"/);
    assert.match(fieldProblem(input, cluster.replace('123456789012', '210987654321'), answers) ?? '', /^ecs_cluster_id: .*account 210987654321.*account 123456789012/);
    assert.equal(checkInput(input, null, answers), undefined);
  });
});

describe('names', () => {
  it('postgres identifiers', () => {
    for (const n of ['metaflow', '_x', 'a$b', 'A'.repeat(63)]) accepts(v.pgIdentifier(n));
    for (const n of ['1abc', 'a-b', 'A'.repeat(64), 'a b', ...HCL_BREAKERS]) rejects(v.pgIdentifier(n));
  });
  it('prefix and suffix keep load balancer names within 32 characters', () => {
    accepts(v.nameAffix('metaflow', 'dev', 'resource_suffix'));
    rejects(v.nameAffix('Metaflow', 'dev', 'resource_suffix'), /lowercase/);
    rejects(v.nameAffix('metaflow-', 'dev', 'resource_suffix'), /hyphen/);
    const longest = 'a'.repeat(v.AFFIX_MAX_COMBINED - 3);
    accepts(v.nameAffix(longest, 'dev', 'resource_suffix'));
    assert.equal(`${longest}${v.LB_NAME_INFIX}dev`.length, v.LB_NAME_MAX);
    rejects(v.nameAffix(`${longest}a`, 'dev', 'resource_suffix'), /resource_suffix/);
    for (const n of HCL_BREAKERS) rejects(v.nameAffix(n, '', 'resource_suffix'));
  });
  it('the combined maximum follows from the tightest derived name', () => {
    const slack = (d: v.DerivedName) => d.rule.max - v.derivedName(d, '', '').length;
    assert.equal(v.AFFIX_MAX_COMBINED, Math.min(...v.DERIVED_NAMES.map(slack)));
    assert.equal(v.LB_NAME_INFIX, '-md-mig-');
    assert.equal(v.AFFIX_MAX_COMBINED, v.LB_NAME_MAX - v.LB_NAME_INFIX.length);
    for (const d of v.DERIVED_NAMES) {
      assert.deepEqual(v.derivedNameProblems('a'.repeat(v.AFFIX_MAX_COMBINED - 1), 'b'), [], 'the longest legal pair breaks nothing');
      assert.ok(d.template.includes('{prefix}') && d.template.includes('{suffix}'), d.id);
    }
    assert.equal(new Set(v.DERIVED_NAMES.map((d) => d.id)).size, v.DERIVED_NAMES.length, 'ids are unique');
  });
  it('every derived name: its length limit', () => {
    for (const d of v.DERIVED_NAMES) {
      const fixed = v.derivedName(d, '', '').length;
      const prefix = 'p'.repeat(d.rule.max - fixed); // one over with the suffix "s"
      const name = v.derivedName(d, prefix, 's');
      assert.ok(
        v.derivedNameProblems(prefix, 's').includes(`the ${d.rule.what} name ${v.show(name)} would be ${d.rule.max + 1} characters, more than the ${d.rule.max} AWS allows`),
        d.id,
      );
    }
  });
  it('every derived name: its characters', () => {
    for (const d of v.DERIVED_NAMES) {
      const name = v.derivedName(d, 'caf\u00e9', 'dev');
      assert.ok(v.derivedNameProblems('caf\u00e9', 'dev').some((p) => p.startsWith(`the ${d.rule.what} name ${JSON.stringify(name)} would hold characters AWS does not allow there (only `)), d.id);
    }
    // Allowed by some rules and not by others.
    const underscore = v.derivedNameProblems('meta_flow', 'dev');
    assert.ok(underscore.some((p) => p.startsWith('the load balancer name "meta_flow-md-dev" would hold characters')));
    assert.ok(underscore.some((p) => p.startsWith('the target group name "meta_flow-md-api-dev" would hold characters')));
    assert.ok(!underscore.some((p) => /IAM role|Lambda|ECS|log group|security group/.test(p)), underscore.join('\n'));
    assert.ok(v.derivedNameProblems('meta+flow', 'dev').some((p) => p.startsWith('the Lambda function name "meta+flow-metadata-dev-db-migrate" would hold characters')));
    assert.ok(!v.derivedNameProblems('meta+flow', 'dev').some((p) => /IAM role /.test(p)), 'IAM role names take "+"');
  });
  it('load balancer and target group names: no hyphen at either end', () => {
    const problems = v.derivedNameProblems('-mf', 'dev-');
    assert.ok(problems.includes('the load balancer name "-mf-md-dev-" would begin with a hyphen, which AWS does not allow'));
    assert.ok(problems.includes('the target group name "-mf-md-api-dev-" would begin with a hyphen, which AWS does not allow'));
    assert.ok(v.derivedNameProblems('mf', 'dev-').includes('the target group name "mf-md-mig-dev-" would end with a hyphen, which AWS does not allow'));
    assert.ok(!v.derivedNameProblems('mf', 'dev-').some((p) => /security group|IAM/.test(p)));
  });
  it('reserved beginnings: "internal-" for load balancers, "sg-" for security groups', () => {
    assert.deepEqual(v.derivedNameProblems('internal', 'dev'), ['the load balancer name "internal-md-dev" would begin with "internal-", which AWS reserves']);
    assert.deepEqual(v.derivedNameProblems('sg', 'dev'), [
      'the security group name "sg-metadata-dev-service-" would begin with "sg-", which AWS reserves',
      'the security group name "sg-metadata-dev-nlb-" would begin with "sg-", which AWS reserves',
    ]);
    assert.deepEqual(v.derivedNameProblems('internalx', 'sg'), []);
    assert.deepEqual(v.derivedNameProblems('mf', 'internal'), []);
  });
  it('resource_prefix and resource_suffix name the AWS name that would break and why', () => {
    assert.equal(v.nameAffix('internal', 'dev', 'resource_suffix'), 'the load balancer name "internal-md-dev" would begin with "internal-", which AWS reserves');
    assert.equal(fieldProblem(INPUT_BY_NAME.get('resource_prefix')!, 'internal', { resource_suffix: 'dev' }), 'resource_prefix: the load balancer name "internal-md-dev" would begin with "internal-", which AWS reserves');
    rejects(v.nameAffix('internal-apps', 'dev', 'resource_suffix'), /"internal-apps-md-dev" would begin with "internal-"/);
    rejects(v.nameAffix('sg', 'dev', 'resource_suffix'), /security group name "sg-metadata-dev-service-" would begin with "sg-", which AWS reserves \(and 1 more derived name\)/);
    accepts(v.nameAffix('internalx', 'dev', 'resource_suffix'));
    accepts(v.nameAffix('sgx', 'dev', 'resource_suffix'));
    // Known before the suffix is: the placeholder shows where it goes.
    assert.equal(v.nameAffix('internal', undefined, 'resource_suffix'), 'the load balancer name "internal-md-<resource_suffix>" would begin with "internal-", which AWS reserves');
    // The suffix is not blamed for the prefix, nor the prefix for the suffix.
    accepts(v.nameAffix('dev', 'internal', 'resource_prefix'));
    accepts(v.nameAffix('internal', 'mf', 'resource_prefix'));
  });
  it('lengths: the value that makes a name too long is told so, with the other one', () => {
    rejects(v.nameAffix('a'.repeat(22), 'dev', 'resource_suffix'), /^with resource_suffix "dev", the target group name "a{22}-md-api-dev" would be 33 characters, more than the 32 AWS allows .*at most 24 characters together$/);
    rejects(v.nameAffix('a'.repeat(23), 'mf', 'resource_prefix'), /^with resource_prefix "mf", the target group name "mf-md-api-a{23}" would be 33 characters/);
    // A suffix longer than allowed alone is the suffix's problem, not the prefix's.
    accepts(v.nameAffix('mf', 'a'.repeat(30), 'resource_suffix'));
    // Unknown other: it has at least one character.
    accepts(v.nameAffix('a'.repeat(v.AFFIX_MAX_COMBINED - 1), undefined, 'resource_suffix'));
    rejects(v.nameAffix('a'.repeat(v.AFFIX_MAX_COMBINED), undefined, 'resource_suffix'), /"a{24}-md-api-<resource_suffix>" would be at least 33 characters.*as resource_suffix has at least 1 character/);
  });
  it('the reserved-prefix rule of variables.tf refuses exactly the prefixes the validator refuses for it', () => {
    const rule = INPUT_BY_NAME.get('resource_prefix')!.hcl!.find((r) => r.condition.includes('startswith'))!;
    assert.equal(rule.invalid, 'internal');
    const starts = JSON.parse(/for start in (\[[^\]]*\])/.exec(rule.condition)![1]!) as string[];
    assert.deepEqual(starts, v.RESERVED_PREFIX_STARTS.map((r) => r.start));
    const hclRefuses = (prefix: string) => starts.some((start) => `${prefix}-`.startsWith(start));
    for (const prefix of ['internal', 'internal-a', 'internal0', 'intern', 'sg', 'sg-1', 'sg1', 's', 'metaflow', 'a-internal', 'inte-rnal', 'sgx-internal']) {
      const reserved = v.derivedNameProblems(prefix, 'dev').some((p) => p.includes('which AWS reserves'));
      assert.equal(hclRefuses(prefix), reserved, prefix);
    }
  });
});

describe('endpoints and images', () => {
  it('host:port', () => {
    for (const e of ['db.example.com:5432', '10.0.0.5:5432', 'a:1', 'x.rds.amazonaws.com:65535']) accepts(v.hostPort(e));
    for (const e of ['db.example.com', 'db:0', 'db:65536', ':5432', 'db:54a', '-db:5432', 'a..b:1', '1.2.3:5', ...HCL_BREAKERS]) rejects(v.hostPort(e));
  });
  it('container image references need a tag or digest', () => {
    for (const image of [
      'netflixoss/metaflow_metadata_service:v2.4.12',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/metaflow/metadata:2.4.12',
      'localhost:5000/md:1',
      `ghcr.io/acme/md@sha256:${'a'.repeat(64)}`,
      `ghcr.io/acme/md:1.0@sha256:${'b'.repeat(64)}`,
    ]) accepts(v.containerImage(image));
    rejects(v.containerImage('netflixoss/metaflow_metadata_service'), /no tag or digest/);
    rejects(v.containerImage('netflixoss/metaflow_metadata_service:latest'), /latest/);
    for (const image of ['Netflix/Md:1', 'md@sha256:abc', 'md:', 'a b:1', 'md:1"x', ...HCL_BREAKERS]) rejects(v.containerImage(image));
  });
});

describe('fargate sizes', () => {
  it('cpu', () => {
    for (const cpu of [256, 512, 1024, 2048, 4096, 8192, 16384]) accepts(v.fargateCpu(cpu));
    for (const cpu of [0, 128, 300, 3072]) rejects(v.fargateCpu(cpu));
  });
  it('memory follows the cpu table', () => {
    accepts(v.fargateMemory(512, 256));
    accepts(v.fargateMemory(2048, 256));
    rejects(v.fargateMemory(3072, 256), /512, 1024, 2048/);
    accepts(v.fargateMemory(4096, 512));
    rejects(v.fargateMemory(512, 512), /1024-4096 in steps of 1024/);
    accepts(v.fargateMemory(30720, 4096));
    rejects(v.fargateMemory(18432, 8192), /steps of 4096/);
    accepts(v.fargateMemory(122880, 16384));
    rejects(v.fargateMemory(1.5, 512), /whole number/);
  });
});

describe('tags', () => {
  it('accepts AWS-legal keys and values', () => {
    accepts(v.tags({ environment: 'dev', 'team:owner': 'ml platform', 'k/x=y+z@a-b_c.d': 'é ü 名前' }));
    accepts(v.tags({}));
  });
  it('rejects reserved, long, too many and illegal characters', () => {
    rejects(v.tags({ 'aws:cost': 'x' }), /reserves/);
    rejects(v.tags({ ['k'.repeat(129)]: 'x' }), /1-128/);
    rejects(v.tags({ k: 'v'.repeat(257) }), /256/);
    rejects(v.tags(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))), /at most 50/);
    for (const bad of HCL_BREAKERS.filter((s) => s !== '')) {
      rejects(v.tags({ k: bad }), /only letters/);
      rejects(v.tags({ [bad]: 'v' }));
    }
  });
});

describe('catalogue validators through checkInput', () => {
  it('every free-text input rejects HCL-breaking strings', () => {
    for (const input of INPUTS.filter((i) => i.type === 'string' && !i.choices)) {
      for (const text of HCL_BREAKERS) {
        assert.equal(typeof checkInput(input, text, {}), 'string', `${input.name} accepted ${JSON.stringify(text)}`);
      }
    }
  });
  it('type mismatches are reported, not thrown', () => {
    assert.match(checkInput(INPUT_BY_NAME.get('vpc_cidr_blocks')!, '10.0.0.0/8', {}) ?? '', /list of strings/);
    assert.match(checkInput(INPUT_BY_NAME.get('metadata_service_cpu')!, '512', {}) ?? '', /number/);
    assert.match(checkInput(INPUT_BY_NAME.get('standard_tags')!, { a: 1 } as never, {}) ?? '', /string values/);
    assert.match(checkInput(INPUT_BY_NAME.get('resource_prefix')!, null, {}) ?? '', /got null/);
    assert.equal(checkInput(INPUT_BY_NAME.get('ecs_cluster_id')!, null, {}), undefined);
  });
});

describe('inputs added beyond the seed', () => {
  it('an API open to anyone needs explicit consent', () => {
    const open = { enable_api_gateway: true, api_basic_auth: false, access_list_cidr_blocks: [] };
    assert.equal(v.apiIsOpen(open), true);
    rejects(v.openApiConsent(false, open), /anyone on the internet.*allow_open_api/s);
    accepts(v.openApiConsent(true, open));
    for (const safer of [{ api_basic_auth: true }, { access_list_cidr_blocks: ['10.0.0.0/8'] }, { enable_api_gateway: false }]) {
      assert.equal(v.apiIsOpen({ ...open, ...safer }), false, JSON.stringify(safer));
      accepts(v.openApiConsent(false, { ...open, ...safer }));
    }
  });
  it('task counts, CPU target, SSL mode, log retention and the secret key', () => {
    accepts(v.taskCount(1));
    for (const n of [0, 51, 2.5, -1]) rejects(v.taskCount(n));
    rejects(v.atLeast(1, 2, 'metadata_service_min_count'), /metadata_service_min_count \(2\)/);
    accepts(v.atLeast(2, 2, 'metadata_service_min_count'));
    accepts(v.percentTarget(60));
    rejects(v.percentTarget(95));
    accepts(v.sslMode('verify-full'));
    rejects(v.sslMode('required'), /one of disable/);
    accepts(v.logRetention(731));
    accepts(v.logRetention(0)); // never expire
    rejects(v.logRetention(-1), /or 0 to keep logs forever/);
    rejects(v.logRetention(0.5));
    rejects(v.logRetention(100), /CloudWatch Logs accepts/);
    // API Gateway throttling and quota.
    for (const rate of [1, 500, v.API_RATE_MAX]) accepts(v.throttleRate(rate));
    for (const rate of [0, 0.5, -1, v.API_RATE_MAX + 1, Number.NaN, Number.POSITIVE_INFINITY]) rejects(v.throttleRate(rate), /per second/);
    for (const burst of [1, 1000, v.API_BURST_MAX]) accepts(v.throttleBurst(burst));
    for (const burst of [0, 1.5, v.API_BURST_MAX + 1]) rejects(v.throttleBurst(burst), /whole number/);
    accepts(v.quotaLimit(1));
    accepts(v.quotaLimit(1_000_000));
    for (const quota of [0, -5, 2.5]) rejects(v.quotaLimit(quota));
    accepts(checkInput(INPUT_BY_NAME.get('api_quota_limit')!, null, {}));
    for (const period of v.QUOTA_PERIODS) accepts(v.quotaPeriod(period));
    rejects(v.quotaPeriod('day'), /DAY, WEEK, MONTH/);
    accepts(v.secretJsonKey('password'));
    for (const key of ['', 'db:password', 'a"b', 'x'.repeat(256)]) rejects(v.secretJsonKey(key));
  });
  it('TLS: verify-ca and verify-full need the CA bundle in the image, and only they read one', () => {
    const bundle = '/etc/ssl/certs/rds-global-bundle.pem';
    for (const mode of ['verify-ca', 'verify-full']) {
      rejects(v.sslModeAndBundle(mode, null), new RegExp(`^${mode} checks .*database_ssl_root_cert_path.*no RDS CA bundle.*FROM it.*${v.RDS_CA_BUNDLE_URL.replace(/\./g, '\\.')}.*Or choose require`));
      accepts(v.sslModeAndBundle(mode, bundle));
      accepts(v.sslModeAndBundle(mode, undefined)); // not known yet: asked after the mode
    }
    for (const mode of ['disable', 'allow', 'prefer', 'require']) {
      accepts(v.sslModeAndBundle(mode, null));
      rejects(v.sslModeAndBundle(mode, bundle), /reads no CA bundle.*verify-ca or verify-full/);
    }
    accepts(v.sslRootCertPath(null));
    accepts(v.sslRootCertPath(bundle));
    for (const path of ['etc/rds.pem', '/etc/my bundle.pem', '/etc/rds.pem?x=1', '/etc/rds&.pem', '']) rejects(v.sslRootCertPath(path), /absolute path/);
  });
  it('TLS: disable and allow are accepted with a caution; the public image with a verify mode too', () => {
    for (const mode of ['disable', 'allow']) {
      const caution = v.sslModeCaution(mode);
      assert.match(caution ?? '', /API still connects.*migrations \(goose.*fail there.*RDS for PostgreSQL 15 and later accepts only TLS by default.*require/);
    }
    for (const mode of ['prefer', 'require', 'verify-ca', 'verify-full']) assert.equal(v.sslModeCaution(mode), undefined, mode);
    for (const image of ['netflixoss/metaflow_metadata_service:v2.4.12', 'docker.io/netflixoss/metaflow_metadata_service@sha256:' + 'a'.repeat(64)]) {
      assert.match(v.publicImageCaution(image, 'verify-full') ?? '', /no RDS CA bundle: build an image FROM it/);
      assert.equal(v.publicImageCaution(image, 'require'), undefined);
    }
    assert.equal(v.publicImageCaution('123456789012.dkr.ecr.us-east-1.amazonaws.com/metaflow-metadata:v2.4.12-rds', 'verify-full'), undefined);
    assert.equal(v.publicImageCaution('example/netflixoss/metaflow_metadata_service_rds:1', 'verify-ca'), undefined);
  });
  it('an RDS-managed secret gets a note: it rotates, and the module restarts the service after each rotation', () => {
    for (const arn of ['arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0a1b2c3d-AbCdEf']) {
      assert.match(v.rotatingSecretCaution(arn) ?? '', /RDS rotates \(every 7 days by default\).*restarts the service after each rotation.*its own database user/);
    }
    assert.equal(v.rotatingSecretCaution('arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-dev-db-password-AbCdEf'), undefined);
  });
});
