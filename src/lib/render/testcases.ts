// What the generated repository's own `terraform test` files exercise: the
// fixtures (the catalogue's examples, moved into each partition), the mocked
// account, and one failing value per validation rule. Pure data, no Yeoman.
import { INPUTS, MODULE_INPUTS, isRequired, type Answers, type Input, type Value } from '../inputs/catalogue.js';
import { partitionOfRegion, type Partition } from '../inputs/validators.js';

/** The mocked AWS account a test file runs against. */
export interface MockAccount {
  partition: Partition;
  region: string;
  account: string;
  dnsSuffix: string;
  vpcId: string;
  subnets: { id: string; arn: string; zone: string }[];
}

const DNS_SUFFIX: Record<Partition, string> = { aws: 'amazonaws.com', 'aws-us-gov': 'amazonaws.com', 'aws-cn': 'amazonaws.com.cn' };
const EXAMPLE_REGION = INPUTS.find((input) => input.name === 'aws_region')?.example as string;
const EXAMPLE_ACCOUNT = '123456789012';

/** A region for each partition's test file. */
export const PARTITION_REGIONS: Record<Exclude<Partition, 'aws'>, string> = { 'aws-us-gov': 'us-gov-west-1', 'aws-cn': 'cn-north-1' };

/**
 * An example value moved into another partition and region: ARNs, and AWS
 * host names of the example region (the database endpoint,
 * `<name>.<id>.us-east-1.rds.amazonaws.com:5432`) with the partition's DNS
 * suffix; other values stay.
 */
function moved(value: Value, partition: Partition, region: string): Value {
  if (typeof value !== 'string') return value;
  const host = /^([^:]+)\.([a-z0-9-]+)\.rds\.amazonaws\.com(:[0-9]+)$/.exec(value);
  if (host && host[2] === EXAMPLE_REGION) return `${host[1]}.${region}.rds.${DNS_SUFFIX[partition]}${host[3]}`;
  if (!value.startsWith('arn:')) return value;
  const parts = value.split(':');
  parts[1] = partition;
  if (parts[3] === EXAMPLE_REGION) parts[3] = region;
  return parts.join(':');
}

/**
 * Module inputs for a test file: every required input's example, in
 * `partition`/`region`, plus the partition's own `iam_partition` and `is_gov`.
 */
export function fixtureInputs(partition: Partition = 'aws', region = EXAMPLE_REGION): Answers {
  const out: Answers = {};
  for (const input of MODULE_INPUTS) {
    if (isRequired(input)) out[input.name] = moved(input.example, partition, region);
  }
  if (partition !== 'aws') {
    out.iam_partition = partition;
    out.is_gov = partition === 'aws-us-gov';
  }
  return out;
}

function accountOf(answers: Answers): string {
  for (const value of Object.values(answers)) {
    const account = typeof value === 'string' && value.startsWith('arn:') ? value.split(':')[4] : undefined;
    if (account && /^[0-9]{12}$/.test(account)) return account;
  }
  return EXAMPLE_ACCOUNT;
}

/** The mocked account for a set of module inputs in `region`. */
export function mockAccount(answers: Answers, region: string): MockAccount {
  const partition = partitionOfRegion(region);
  const account = accountOf(answers);
  const subnets = [answers.subnet1_id, answers.subnet2_id].map((id, i) => ({
    id: String(id),
    arn: `arn:${partition}:ec2:${region}:${account}:subnet/${String(id)}`,
    zone: `${region}${'ab'[i]}`,
  }));
  return { partition, region, account, dnsSuffix: DNS_SUFFIX[partition], vpcId: String(answers.metaflow_vpc_id), subnets };
}

export interface ValidationRound {
  /** The run's name. */
  run: string;
  /** Inputs set to a failing value: each must be refused. */
  invalid: Answers;
  /** Valid values of other inputs that some of those failures need. */
  context: Answers;
}

/** The other variables an input's validation rules read. */
function referencedInputs(input: Input): Set<string> {
  const names = new Set<string>();
  for (const rule of input.hcl ?? []) for (const [, name] of rule.condition.matchAll(/\bvar\.([a-z0-9_]+)/g)) names.add(name as string);
  names.delete(input.name);
  return names;
}

/**
 * The failing value of every validation rule of `inputs`, packed into as few
 * runs as possible (Terraform starts the provider twice per run, so one run
 * per rule would cost a second each). A run refuses several inputs at once,
 * but never two rules of one input, nor two inputs where one's rules read the
 * other: Terraform skips the checks of a variable whose rules read an invalid one.
 */
export function validationRounds(inputs: readonly Input[] = MODULE_INPUTS, prefix = 'invalid_values'): ValidationRound[] {
  const rounds: ValidationRound[] = [];
  const reads = new Map(inputs.map((input) => [input.name, referencedInputs(input)]));
  const clash = (a: string, b: string): boolean => a === b || Boolean(reads.get(a)?.has(b)) || Boolean(reads.get(b)?.has(a));
  for (const input of inputs) {
    for (const rule of input.hcl ?? []) {
      const context = Object.entries(rule.context ?? {});
      const fits = (r: ValidationRound): boolean =>
        !Object.keys(r.invalid).some((other) => clash(input.name, other) || context.some(([name]) => clash(name, other))) &&
        context.every(([name, value]) => !(name in r.context) || JSON.stringify(r.context[name]) === JSON.stringify(value)) &&
        !Object.keys(r.context).some((name) => clash(input.name, name));
      let round = rounds.find(fits);
      if (!round) {
        round = { run: `${prefix}_${rounds.length + 1}`, invalid: {}, context: {} };
        rounds.push(round);
      }
      round.invalid[input.name] = rule.invalid;
      Object.assign(round.context, rule.context);
    }
  }
  return rounds;
}
