// Discovery at the prompts: when AWS credentials resolve, the questions about
// ids and ARNs offer what the account holds in the answers' region, read-only:
// VPCs (the choice suggests vpc_cidr_blocks), that VPC's subnets grouped by
// zone, private ones first in each (the second from another zone), RDS databases (endpoint, database name
// and user suggested), Secrets Manager secrets (RDS-managed ones marked), ECS
// clusters, KMS keys with their aliases, S3 buckets. Typing stays possible: each
// pick-list ends with "type it", which asks the original question. Without
// credentials the questions are the catalogue's, after one line saying so.
//
// A pick-list keeps the input's name (so its answer is the input's answer);
// the typed question is `<name>:typed`, and `settle` folds it back. The other
// questions of the group see the answers folded (their defaults and checks
// read the chosen VPC, database, subnet).
import { INPUT_BY_NAME, type Answers, type GroupId } from '../inputs/catalogue.js';
import { toText } from '../intake/answers.js';
import type { Question } from '../intake/prompts.js';
import { readBuckets, readClusters, readDatabases, readKeys, readSecrets, readSubnets, readVpcs, type BucketView, type DatabaseView, type KeyView, type SecretView, type SubnetView, type VpcView } from './account.js';
import type { Aws, Identity, Result } from './clients.js';
import { remedy } from './errors.js';
import { PreflightError, awsFor, checkAnswers, type AwsRunContext } from './session.js';

/** The value of a pick-list's last choice: type the answer instead. */
export const TYPED = '<type>';
const TYPED_SUFFIX = ':typed';

export interface Discovery {
  /** The group's questions, with pick-lists where the account has something to offer. */
  questions(group: GroupId, questions: readonly Question[], known: Answers): Promise<Question[]>;
  /** Fold a session's typed answers into the inputs' names (in place). */
  settle(session: Record<string, unknown>): void;
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

/** Typed answers folded into the inputs' names; a pick of "type it" with nothing typed yet is no answer. */
export function folded(session: Record<string, unknown>): Record<string, unknown> {
  const out = { ...session };
  settleInPlace(out);
  return out;
}

function settleInPlace(session: Record<string, unknown>): void {
  for (const key of Object.keys(session)) {
    if (!key.endsWith(TYPED_SUFFIX)) continue;
    const base = key.slice(0, -TYPED_SUFFIX.length);
    if (session[base] === TYPED || session[base] === undefined) session[base] = session[key];
    delete session[key];
  }
  for (const [key, value] of Object.entries(session)) if (value === TYPED) delete session[key];
}

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

/** What the account offers for one input, given the answers so far (folded); `recommended` is the pre-selected value. */
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

/** The questions of a group, with pick-lists from what was found (what `Discovery.questions` returns). */
export function withChoices(questions: readonly Question[], found: Partial<Record<Part, unknown>>, known: Answers = {}): Question[] {
  const out: Question[] = [];
  /** The answers known before the group, and this session's, folded. */
  const all = (s: Record<string, unknown>): Record<string, unknown> => ({ ...known, ...folded(s) });
  for (const q of questions) {
    const original = q.default;
    const defaultOf = (s: Record<string, unknown>): string | boolean | undefined => (typeof original === 'function' ? original(s) : original);
    const wrapped: Question = {
      ...q,
      when: (s) => q.when(folded(s)),
      default: (s) => {
        const f = folded(s);
        const own = defaultOf(f);
        const following = followingDefault(q.name, { ...known, ...f }, found);
        // A choice made in this session leads; a value known from before stays (it came from the user).
        if (following !== undefined && (own === undefined || q.name === 'database_name' || q.name === 'with_public_ip')) return following;
        return own;
      },
      ...(q.validate ? { validate: (raw: unknown, s: Record<string, unknown> = {}) => q.validate!(raw, folded(s)) } : {}),
    };
    const sources = SOURCES[q.name];
    if (!sources || !sources.every((part) => Array.isArray(found[part]))) {
      out.push(wrapped);
      continue;
    }
    const offered = (s: Record<string, unknown>) => offer(q.name, all(s), found);
    out.push({
      type: 'select',
      name: q.name,
      message: q.message,
      when: (s) => q.when(folded(s)) && offered(s).choices.length > 0,
      choices: (s) => [...offered(s).choices, { name: 'type it', value: TYPED }],
      default: (s) => {
        const { choices, recommended } = offered(s);
        const current = defaultOf(folded(s));
        if (typeof current === 'string' && choices.some((choice) => choice.value === current)) return current;
        return recommended ?? choices[0]?.value;
      },
    });
    out.push({
      ...wrapped,
      name: `${q.name}${TYPED_SUFFIX}`,
      when: (s) => q.when(folded(s)) && (offered(s).choices.length === 0 || s[q.name] === TYPED),
      validate: (raw: unknown, s: Record<string, unknown> = {}) => {
        const own = wrapped.validate ? wrapped.validate(raw, s) : true;
        if (own !== true) return own;
        return contradiction(q.name, typeof raw === 'string' ? raw.trim() : raw, all(s), found) ?? true;
      },
    });
  }
  return out;
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
    inventory = { vpcs: readVpcs(a), subnets: readSubnets(a, 'all'), databases: readDatabases(a), secrets: readSecrets(a), clusters: readClusters(a), keys: readKeys(a), buckets: readBuckets(a) };
    return inventory;
  };

  return {
    async questions(_group, questions, known) {
      const parts = [...new Set(questions.flatMap((q) => SOURCES[q.name] ?? []))];
      if (parts.length === 0) return [...questions];
      const found = await ready(known);
      if (!found) return [...questions];
      const values: Partial<Record<Part, unknown>> = {};
      for (const part of parts) {
        const result = await found[part];
        if (result.ok) values[part] = result.value;
        else if (!noted.has(result.action)) {
          noted.add(result.action);
          terminal.log(`AWS discovery: ${result.action} ${result.problem.kind === 'denied' ? 'was refused' : 'failed'} (${result.problem.code}): type those answers (${remedy(result.problem, result.action)}).`);
        }
      }
      return withChoices(questions, values, known);
    },
    settle: settleInPlace,
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
