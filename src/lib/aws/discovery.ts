// Discovery at the prompts: when AWS credentials resolve, the questions about
// ids and ARNs offer what the account holds in the answers' region, read-only:
// VPCs (the choice suggests vpc_cidr_blocks), that VPC's subnets grouped by
// zone, private ones first in each (the second from another zone), RDS
// databases (endpoint, database name and user suggested), Secrets Manager
// secrets (RDS-managed ones marked), ECS clusters, KMS keys with their aliases,
// S3 buckets. Each is a search prompt: the list filters as you type, and text
// that matches nothing is offered as itself, so typing an id stays possible
// (checked as before, and against the account: a subnet of another VPC, or in
// the first one's zone, is refused). Without credentials the questions are the
// catalogue's, after one line saying so.
//
// The run asks one question at a time and keeps each answer in `known` at once;
// `follow` wraps its terminal so that each question is built from what is
// known then.
import { INPUT_BY_NAME, type Answers, type GroupId } from '../inputs/catalogue.js';
import { toText } from '../intake/answers.js';
import type { Question } from '../intake/prompts.js';
import type { Terminal } from '../run.js';
import { readBuckets, readClusters, readDatabases, readKeys, readSecrets, readSubnets, readVpcs, type BucketView, type DatabaseView, type KeyView, type SecretView, type SubnetView, type VpcView } from './account.js';
import type { Aws, Identity, Result } from './clients.js';
import { remedy } from './errors.js';
import { PreflightError, awsFor, checkAnswers, type AwsRunContext } from './session.js';

export interface Discovery {
  /** The run's terminal, whose questions about ids and ARNs offer what the account holds; `known` is the answers so far, kept current by the run. */
  follow(known: Answers, terminal: Terminal): Terminal;
  /** At the end of a run at a terminal: offer to check what was written against the account. */
  offerPreflight(answers: Answers): Promise<void>;
  close(): Promise<void>;
}

interface Inventory {
  vpcs: Promise<Result<VpcView[]>>;
  subnets: Promise<Result<SubnetView[]>>;
  databases: Promise<Result<DatabaseView[]>>;
  secrets: Promise<Result<SecretView[]>>;
  clusters: Promise<Result<string[]>>;
  keys: Promise<Result<KeyView[]>>;
  buckets: Promise<Result<BucketView[]>>;
}

type Part = keyof Inventory;

/** What each discoverable input offers from. */
const SOURCES: Record<string, Part[]> = {
  metaflow_vpc_id: ['vpcs'],
  subnet1_id: ['subnets'],
  subnet2_id: ['subnets'],
  rds_master_instance_endpoint: ['databases'],
  database_password_secret_manager_arn: ['secrets', 'databases'],
  ecs_cluster_id: ['clusters'],
  datastore_s3_bucket_kms_key_arn: ['keys'],
  s3_bucket_arn: ['buckets'],
};

interface Choice {
  name: string;
  value: string;
}

const pad = (rows: string[][]): string[] => {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
};

const table = (rows: { cells: string[]; value: string }[]): Choice[] => pad(rows.map((row) => row.cells)).map((name, i) => ({ name, value: (rows[i] as { value: string }).value }));

const REACH_ORDER = { private: 0, isolated: 1, public: 2 } as const;

/** What the account offers for one input, given the answers so far; `recommended` is the pre-selected value. */
export function offer(name: string, a: Record<string, unknown>, found: Partial<Record<Part, unknown>>): { choices: Choice[]; recommended?: string } {
  const vpcs = (found.vpcs as VpcView[] | undefined) ?? [];
  const subnets = (found.subnets as SubnetView[] | undefined) ?? [];
  const databases = (found.databases as DatabaseView[] | undefined) ?? [];
  switch (name) {
    case 'metaflow_vpc_id':
      return { choices: table(vpcs.map((vpc) => ({ cells: [vpc.id, vpc.name ?? (vpc.isDefault ? '(default VPC)' : '-'), vpc.cidrs.join(', ')], value: vpc.id }))) };
    case 'subnet1_id':
    case 'subnet2_id': {
      const first = name === 'subnet2_id' ? subnets.find((subnet) => subnet.id === a.subnet1_id) : undefined;
      const fits = subnets
        .filter((subnet) => subnet.vpcId === a.metaflow_vpc_id && subnet.id !== a.subnet1_id && (!first || subnet.zone !== first.zone))
        .sort((x, y) => x.zone.localeCompare(y.zone) || REACH_ORDER[x.reach ?? 'private'] - REACH_ORDER[y.reach ?? 'private'] || x.id.localeCompare(y.id));
      const choices = table(fits.map((subnet) => ({ cells: [subnet.id, subnet.zone, subnet.reach ?? '?', subnet.cidr, subnet.name ?? ''], value: subnet.id })));
      return { choices, recommended: fits.find((subnet) => subnet.reach !== 'public')?.id };
    }
    case 'rds_master_instance_endpoint':
      return { choices: table(databases.map((db) => ({ cells: [db.id, `${db.engine} ${db.kind}`, `${db.host}:${db.port}`], value: `${db.host}:${db.port}` }))) };
    case 'database_password_secret_manager_arn': {
      const db = databases.find((candidate) => `${candidate.host}:${candidate.port}` === a.rds_master_instance_endpoint);
      const secrets = ((found.secrets as SecretView[] | undefined) ?? []).filter((secret) => !secret.deleted);
      const ordered = [...secrets].sort((x, y) => Number(y.arn === db?.secretArn) - Number(x.arn === db?.secretArn) || x.name.localeCompare(y.name));
      const mark = (secret: SecretView): string =>
        secret.arn === db?.secretArn ? `RDS-managed, master user secret of ${db.id}: JSON key "password"` : secret.owningService === 'rds' ? 'RDS-managed: JSON key "password"' : '';
      return { choices: table(ordered.map((secret) => ({ cells: [secret.arn, mark(secret)], value: secret.arn }))), recommended: db?.secretArn };
    }
    case 'ecs_cluster_id': {
      const clusters = (found.clusters as string[] | undefined) ?? [];
      if (clusters.length === 0) return { choices: [] };
      return { choices: [{ name: 'none: the module creates a cluster', value: '' }, ...clusters.map((arn) => ({ name: arn, value: arn }))], recommended: '' };
    }
    case 'datastore_s3_bucket_kms_key_arn': {
      const keys = ((found.keys as KeyView[] | undefined) ?? []).sort((x, y) => Number(y.state === 'Enabled') - Number(x.state === 'Enabled') || (x.aliases[0] ?? '~').localeCompare(y.aliases[0] ?? '~'));
      return { choices: table(keys.map((key) => ({ cells: [key.aliases.join(', ') || '(no alias)', key.arn, key.state && key.state !== 'Enabled' ? key.state.toUpperCase() : (key.state ?? '')], value: key.arn }))) };
    }
    case 's3_bucket_arn': {
      const partition = typeof a.iam_partition === 'string' ? a.iam_partition : 'aws';
      const buckets = [...((found.buckets as BucketView[] | undefined) ?? [])].sort((x, y) => Number(y.region === a.aws_region) - Number(x.region === a.aws_region) || x.name.localeCompare(y.name));
      return { choices: table(buckets.map((bucket) => ({ cells: [bucket.name, bucket.region ?? ''], value: `arn:${partition}:s3:::${bucket.name}` }))) };
    }
    default:
      return { choices: [] };
  }
}

/** A refusal of a typed answer the account contradicts (a subnet of another VPC, or in the first subnet's zone). */
export function contradiction(name: string, value: unknown, a: Record<string, unknown>, found: Partial<Record<Part, unknown>>): string | undefined {
  if (name !== 'subnet1_id' && name !== 'subnet2_id') return undefined;
  const subnets = (found.subnets as SubnetView[] | undefined) ?? [];
  const subnet = subnets.find((candidate) => candidate.id === value);
  if (!subnet) return undefined;
  if (typeof a.metaflow_vpc_id === 'string' && subnet.vpcId !== a.metaflow_vpc_id) return `${name}: ${subnet.id} is in ${subnet.vpcId}, not in metaflow_vpc_id ${a.metaflow_vpc_id}`;
  const first = name === 'subnet2_id' ? subnets.find((candidate) => candidate.id === a.subnet1_id) : undefined;
  if (first && first.zone === subnet.zone) return `${name}: ${subnet.id} is in ${subnet.zone}, the zone of subnet1_id: choose a subnet in another availability zone`;
  return undefined;
}

/** Defaults that follow a choice: the VPC's CIDR blocks, the database's name and user, a public IP for public subnets. */
export function followingDefault(name: string, a: Record<string, unknown>, found: Partial<Record<Part, unknown>>): string | boolean | undefined {
  const databases = (found.databases as DatabaseView[] | undefined) ?? [];
  const db = databases.find((candidate) => `${candidate.host}:${candidate.port}` === a.rds_master_instance_endpoint);
  switch (name) {
    case 'vpc_cidr_blocks': {
      const vpc = ((found.vpcs as VpcView[] | undefined) ?? []).find((candidate) => candidate.id === a.metaflow_vpc_id);
      return vpc && vpc.cidrs.length > 0 ? toText(INPUT_BY_NAME.get(name)!, vpc.cidrs) : undefined;
    }
    case 'database_name':
      return db?.databaseName;
    case 'database_username':
      return db?.username;
    case 'with_public_ip': {
      const subnets = (found.subnets as SubnetView[] | undefined) ?? [];
      const chosen = [a.subnet1_id, a.subnet2_id].map((id) => subnets.find((subnet) => subnet.id === id));
      return chosen.every((subnet) => subnet?.reach === 'public') ? true : undefined;
    }
    default:
      return undefined;
  }
}

/** The inputs whose default follows a choice (followingDefault). */
const FOLLOWING = new Set(['vpc_cidr_blocks', 'database_name', 'database_username', 'with_public_ip']);

/**
 * One question as discovery asks it: a search prompt over what the account offers (typing
 * filters it; text that matches nothing is offered as itself), with the account's checks of a
 * typed answer; or, for an input whose default follows a choice, that default.
 */
export function withAccount(q: Question, known: Answers, found: Partial<Record<Part, unknown>>): Question {
  const ownDefault = (s: Record<string, unknown>): string | boolean | undefined => (typeof q.default === 'function' ? q.default(s) : q.default);
  if (FOLLOWING.has(q.name)) {
    return {
      ...q,
      default: (s) => {
        const own = ownDefault(s);
        const following = followingDefault(q.name, { ...known, ...s }, found);
        // A choice made in this run leads over a catalogue default; a value already known stays (it came from the user).
        return following !== undefined && (!(q.name in known) || own === undefined) ? following : own;
      },
    };
  }
  if (!SOURCES[q.name]) return q;
  const validate = (raw: unknown, s: Record<string, unknown> = {}): true | string => {
    const own = q.validate ? q.validate(raw, s) : true;
    if (own !== true) return own;
    return contradiction(q.name, typeof raw === 'string' ? raw.trim() : raw, { ...known, ...s }, found) ?? true;
  };
  const { choices, recommended } = offer(q.name, known, found);
  if (choices.length === 0) return { ...q, validate };
  return {
    ...q,
    type: 'search',
    source: (term) => {
      const text = (term ?? '').trim();
      if (text === '') return choices;
      const lower = text.toLowerCase();
      const matching = choices.filter((choice) => choice.name.toLowerCase().includes(lower));
      return matching.length > 0 ? matching : [{ name: text, value: text }];
    },
    default: (s) => {
      const current = ownDefault(s);
      if (typeof current === 'string' && choices.some((choice) => choice.value === current)) return current;
      return recommended ?? choices[0]?.value;
    },
    validate,
    // A choice is the input's value as text (a nullable one's "none" is empty text); the catalogue's filter types it.
    filter: q.filter,
  };
}

/** Discovery for one run at a terminal. Nothing is called before a group with a discoverable input is asked. */
export function startDiscovery(context: AwsRunContext): Discovery {
  const { terminal, options } = context;
  let aws: Aws | undefined;
  let identity: Identity | undefined;
  let inventory: Inventory | undefined;
  let region: string | undefined;
  let off = options.discover === false;
  const noted = new Set<string>();

  /** Credentials and the inventory of the answers' region, or undefined (having said why, once). */
  const ready = async (known: Answers): Promise<Inventory | undefined> => {
    if (off || typeof known.aws_region !== 'string') return undefined;
    if (inventory && region === known.aws_region) return inventory;
    await aws?.close();
    region = known.aws_region;
    aws = awsFor(known, context);
    const who = await aws.identity();
    if (!who.ok) {
      off = true;
      terminal.log(
        `AWS discovery is off (${who.problem.kind === 'no-credentials' ? 'no AWS credentials found' : `${who.problem.code}: ${who.problem.message}`}): type each id and ARN. To pick them from your account instead, ${remedy(who.problem, undefined, aws.profile)}, and run again.`,
      );
      return undefined;
    }
    identity = who.value;
    const configured = await aws.configuredRegion();
    terminal.log(
      `AWS discovery: account ${identity.account} (${identity.arn}), region ${region}${configured && configured !== region ? ` (your configuration says ${configured}; the answers' region is read)` : ''}: the questions offer what it holds, read-only (--no-discover: type everything).`,
    );
    const a = aws;
    for (const part of Object.keys(settled) as Part[]) delete settled[part];
    inventory = { vpcs: readVpcs(a), subnets: readSubnets(a, 'all'), databases: readDatabases(a), secrets: readSecrets(a), clusters: readClusters(a), keys: readKeys(a), buckets: readBuckets(a) };
    return inventory;
  };

  /** What the inventory's reads gave, as each settles (a refused read is noted once and left out). */
  const settled: Partial<Record<Part, unknown>> = {};
  const build = async (q: Question, known: Answers): Promise<Question> => {
    const parts = SOURCES[q.name];
    // A default that follows a choice uses what is read already, and never starts a read.
    if (!parts) return FOLLOWING.has(q.name) && inventory && region === known.aws_region ? withAccount(q, known, settled) : q;
    const found = await ready(known);
    if (!found) return q;
    for (const part of parts) {
      const result = await found[part];
      if (result.ok) settled[part] = result.value;
      else if (!noted.has(result.action)) {
        noted.add(result.action);
        terminal.log(`AWS discovery: ${result.action} ${result.problem.kind === 'denied' ? 'was refused' : 'failed'} (${result.problem.code}): type those answers (${remedy(result.problem, result.action)}).`);
      }
    }
    return parts.every((part) => part in settled) ? withAccount(q, known, settled) : q;
  };

  return {
    follow: (known, base) => ({ log: (text) => base.log(text), ask: async (questions) => base.ask(await Promise.all(questions.map((q) => build(q, known)))) }),
    async offerPreflight(answers) {
      if (off || !aws || !identity || region !== answers.aws_region) return;
      const { check } = await terminal.ask([{ type: 'confirm', name: 'check', message: `Check these answers against AWS account ${identity.account} now (read-only)?`, default: true, when: () => true }]);
      if (check !== true) return;
      try {
        await checkAnswers(answers, aws, context, identity);
      } catch (error) {
        if (!(error instanceof PreflightError)) throw error;
        terminal.log(`${error.message.replace('then run --preflight again', 'then run again in this directory (or with --preflight)')}`);
      }
    },
    async close() {
      await aws?.close();
    },
  };
}
