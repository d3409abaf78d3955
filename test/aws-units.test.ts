// The AWS room's pure parts, without AWS: how a subnet reaches the internet,
// whether security group rules admit a port, image references, registry
// challenges, trust policies, what an SDK error means, and the folding of
// pick-lists' typed answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contradiction, offer, withAccount } from '../src/lib/aws/discovery.js';
import { questionsFor } from '../src/lib/intake/prompts.js';
import { classify, remedy } from '../src/lib/aws/errors.js';
import { parseChallenge, parseImage } from '../src/lib/aws/image.js';
import { cidrInside, coversPort, notAdmitted, reachOf, type RouteTableView } from '../src/lib/aws/network.js';
import { trustsEcsTasks } from '../src/lib/aws/preflight.js';

describe('network', () => {
  const tables: RouteTableView[] = [
    { id: 'main', main: true, subnets: [], routes: [{ destination: '10.0.0.0/16', gatewayId: 'local' }] },
    { id: 'nat', main: false, subnets: ['subnet-a'], routes: [{ destination: '0.0.0.0/0', natGatewayId: 'nat-1' }] },
    { id: 'igw', main: false, subnets: ['subnet-b'], routes: [{ destination: '::/0', gatewayId: 'igw-1' }] },
    { id: 'hole', main: false, subnets: ['subnet-c'], routes: [{ destination: '0.0.0.0/0', gatewayId: 'igw-2', state: 'blackhole' }] },
    { id: 'tgw', main: false, subnets: ['subnet-d'], routes: [{ destination: '0.0.0.0/0', transitGatewayId: 'tgw-1' }] },
  ];

  it('reads a subnet\'s reach from its own table, else the main one', () => {
    assert.equal(reachOf('subnet-a', tables), 'private');
    assert.equal(reachOf('subnet-b', tables), 'public');
    assert.equal(reachOf('subnet-c', tables), 'isolated', 'a blackhole route reaches nothing');
    assert.equal(reachOf('subnet-d', tables), 'private');
    assert.equal(reachOf('subnet-unassociated', tables), 'isolated', 'the main table has no default route');
    assert.equal(reachOf('subnet-x', []), 'isolated');
  });

  it('admits a port from CIDR blocks only through rules that cover both', () => {
    assert.equal(cidrInside('10.0.1.0/24', '10.0.0.0/16'), true);
    assert.equal(cidrInside('10.0.0.0/16', '10.0.1.0/24'), false);
    assert.equal(cidrInside('10.1.0.0/24', '10.0.0.0/16'), false);
    assert.equal(cidrInside('not-a-cidr', '0.0.0.0/0'), false);
    assert.equal(coversPort({ protocol: '-1', cidrs: [], groups: [] }, 5432), true);
    assert.equal(coversPort({ protocol: 'tcp', fromPort: 5000, toPort: 6000, cidrs: [], groups: [] }, 5432), true);
    assert.equal(coversPort({ protocol: 'udp', fromPort: 0, toPort: 65535, cidrs: [], groups: [] }, 5432), false);
    const rules = [
      { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: ['10.0.1.0/24'], groups: [] },
      { protocol: 'tcp', fromPort: 22, toPort: 22, cidrs: ['10.0.0.0/8'], groups: [] },
      { protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: [], groups: ['sg-app'] },
    ];
    assert.deepEqual(notAdmitted(rules, 5432, ['10.0.1.0/24', '10.0.2.0/24']), ['10.0.2.0/24']);
    assert.deepEqual(notAdmitted([...rules, { protocol: '-1', cidrs: ['10.0.0.0/16'], groups: [] }], 5432, ['10.0.1.0/24', '10.0.2.0/24']), []);
  });
});

describe('image references', () => {
  it('reads them as Docker does', () => {
    assert.deepEqual(parseImage('netflixoss/metaflow_metadata_service:v2.4.12'), { registry: 'registry-1.docker.io', repository: 'netflixoss/metaflow_metadata_service', reference: 'v2.4.12' });
    assert.deepEqual(parseImage('postgres'), { registry: 'registry-1.docker.io', repository: 'library/postgres', reference: 'latest' });
    assert.deepEqual(parseImage('localhost:5000/a/b@sha256:abc'), { registry: 'localhost:5000', repository: 'a/b', reference: 'sha256:abc' });
    assert.deepEqual(parseImage('public.ecr.aws/x/y:1'), { registry: 'public.ecr.aws', repository: 'x/y', reference: '1' });
    assert.deepEqual(parseImage('123456789012.dkr.ecr.eu-west-1.amazonaws.com/md:v1').ecr, { account: '123456789012', region: 'eu-west-1' });
    assert.deepEqual(parseImage('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/md:v1').ecr, { account: '123456789012', region: 'cn-north-1' });
  });

  it('reads a registry\'s bearer challenge', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"'), { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull' });
    assert.equal(parseChallenge('Basic realm="x"'), undefined);
  });
});

describe('trust policies', () => {
  const policy = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
  it('trusts ECS tasks only through an Allow of sts:AssumeRole to ecs-tasks.amazonaws.com', () => {
    assert.equal(trustsEcsTasks(policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' })), true);
    assert.equal(trustsEcsTasks(policy([{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com'] }, Action: ['sts:AssumeRole', 'sts:TagSession'] }])), true);
    assert.equal(trustsEcsTasks(policy({ Effect: 'Deny', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' })), false);
    assert.equal(trustsEcsTasks(policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })), false);
    assert.equal(trustsEcsTasks(policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' })), false);
    assert.equal(trustsEcsTasks('not json'), false);
  });
});

describe('what an SDK error means', () => {
  const sdkError = (name: string, message: string, status?: number) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it('classifies credentials, refusals, throttling, absence and the network', () => {
    assert.equal(classify(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')).kind, 'no-credentials');
    assert.equal(classify(sdkError('CredentialsProviderError', "Value not present for 'clientId' in SSO Token. Cannot refresh. To refresh this SSO session run 'aws sso login' with the corresponding profile.")).kind, 'sso-expired');
    assert.equal(classify(sdkError('TokenProviderError', 'The SSO session token associated with profile=dev was not found or is invalid.')).kind, 'sso-expired');
    assert.equal(classify(sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400)).kind, 'bad-credentials');
    assert.equal(classify(sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)).kind, 'denied');
    assert.equal(classify(sdkError('AccessDeniedException', 'User: x is not authorized', 400)).kind, 'denied');
    assert.equal(classify(sdkError('Forbidden', 'UnknownError', 403)).kind, 'denied');
    assert.equal(classify(sdkError('ThrottlingException', 'Rate exceeded', 400)).kind, 'throttled');
    assert.equal(classify(sdkError('RequestLimitExceeded', 'Request limit exceeded.', 503)).kind, 'throttled');
    assert.equal(classify(sdkError('NotFound', 'UnknownError', 404)).kind, 'not-found');
    assert.equal(classify(sdkError('ResourceNotFoundException', "can't find the specified secret", 400)).kind, 'not-found');
    assert.equal(classify(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).kind, 'unreachable');
    assert.equal(classify('weird').kind, 'other');
    assert.equal(classify(sdkError('AccessDenied', 'Access\n  denied', 403)).message, 'Access denied', 'one line');
  });

  it('says what to do, naming the refused action and the profile', () => {
    assert.match(remedy(classify(sdkError('AccessDenied', 'no', 403)), 'iam:GetRole'), /^allow iam:GetRole /);
    assert.equal(remedy(classify(sdkError('TokenProviderError', 'SSO token expired')), undefined, 'dev'), 'sign in again: aws sso login --profile dev');
  });
});

describe('pick-lists', () => {
  const found = {
    subnets: [
      { id: 'subnet-000000a1', vpcId: 'vpc-1', zone: 'z-a', cidr: '10.0.1.0/24', reach: 'private' as const },
      { id: 'subnet-000000a2', vpcId: 'vpc-1', zone: 'z-a', cidr: '10.0.2.0/24', reach: 'public' as const },
      { id: 'subnet-000000b1', vpcId: 'vpc-1', zone: 'z-b', cidr: '10.0.3.0/24', reach: 'public' as const },
      { id: 'subnet-000000b2', vpcId: 'vpc-1', zone: 'z-b', cidr: '10.0.4.0/24', reach: 'private' as const },
      { id: 'subnet-0000000f', vpcId: 'vpc-2', zone: 'z-b', cidr: '10.9.0.0/24', reach: 'private' as const },
    ],
  };

  it('offer the chosen VPC\'s subnets by zone, the second from another zone', () => {
    const first = offer('subnet1_id', { metaflow_vpc_id: 'vpc-1' }, found);
    assert.deepEqual(first.choices.map((c) => c.value), ['subnet-000000a1', 'subnet-000000a2', 'subnet-000000b2', 'subnet-000000b1'], 'by zone, private first in each');
    assert.equal(first.recommended, 'subnet-000000a1');
    const second = offer('subnet2_id', { metaflow_vpc_id: 'vpc-1', subnet1_id: 'subnet-000000a1' }, found);
    assert.deepEqual(second.choices.map((c) => c.value), ['subnet-000000b2', 'subnet-000000b1']);
    assert.deepEqual(offer('subnet1_id', { metaflow_vpc_id: 'vpc-unknown' }, found).choices, []);
  });

  it('make a question a search over the account, where typed text matching nothing is offered as itself and checked', () => {
    const known = { aws_region: 'us-east-1', metaflow_vpc_id: 'vpc-1', subnet1_id: 'subnet-000000a1' };
    const plain = questionsFor('network', known).find((q) => q.name === 'subnet2_id')!;
    const q = withAccount(plain, known, found);
    assert.equal(q.type, 'search');
    assert.deepEqual(q.source!(undefined).map((c) => c.value), ['subnet-000000b2', 'subnet-000000b1']);
    assert.deepEqual(q.source!('PUBLIC').map((c) => c.value), ['subnet-000000b1'], 'filters on the whole line, any case');
    assert.deepEqual(q.source!('subnet-0123456789abcdef0'), [{ name: 'subnet-0123456789abcdef0', value: 'subnet-0123456789abcdef0' }]);
    assert.equal(typeof q.default === 'function' ? q.default({}) : q.default, 'subnet-000000b2', 'the first private one');
    assert.match(String(q.validate!('subnet-000000a2', {})), /the zone of subnet1_id/);
    assert.match(String(q.validate!('subnet-xyz', {})), /^subnet2_id: /, 'the catalogue\'s own check first');
    assert.equal(q.validate!('subnet-000000b1', {}), true);
    const cidrs = withAccount(questionsFor('network', { metaflow_vpc_id: 'vpc-1' }).find((x) => x.name === 'vpc_cidr_blocks')!, { metaflow_vpc_id: 'vpc-1' }, { vpcs: [{ id: 'vpc-1', cidrs: ['10.0.0.0/16', '10.1.0.0/16'], isDefault: false }] });
    assert.equal(typeof cidrs.default === 'function' ? cidrs.default({}) : cidrs.default, '10.0.0.0/16, 10.1.0.0/16', 'the chosen VPC\'s blocks suggested');
    assert.equal(withAccount(plain, known, {}).type, 'input', 'nothing read: the question as it was');
  });

  it('refuse a typed subnet the account contradicts, and let unknown ones through', () => {
    assert.match(contradiction('subnet1_id', 'subnet-0000000f', { metaflow_vpc_id: 'vpc-1' }, found)!, /subnet-0000000f is in vpc-2, not in metaflow_vpc_id vpc-1/);
    assert.match(contradiction('subnet2_id', 'subnet-000000a2', { metaflow_vpc_id: 'vpc-1', subnet1_id: 'subnet-000000a1' }, found)!, /the zone of subnet1_id/);
    assert.equal(contradiction('subnet2_id', 'subnet-000000b1', { metaflow_vpc_id: 'vpc-1', subnet1_id: 'subnet-000000a1' }, found), undefined);
    assert.equal(contradiction('subnet2_id', 'subnet-0123456789abcdef0', { metaflow_vpc_id: 'vpc-1', subnet1_id: 'subnet-000000a1' }, found), undefined);
  });
});
