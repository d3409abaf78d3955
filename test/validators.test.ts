import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from '../src/lib/validators.js';
import { INPUTS, INPUT_BY_NAME } from '../src/lib/catalogue.js';
import { checkInput } from '../src/lib/answers.js';

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
