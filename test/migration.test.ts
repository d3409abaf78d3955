// Schema upgrades and restarts, run for real: the generated
// functions/schema_upgrade.py against a real PostgreSQL (its advisory lock is
// the only thing that keeps two goose runs apart), and the generated migration
// function (functions/db_migrate/index.py) by python3 against a fake ECS on
// 127.0.0.1 whose "tasks" are real schema_upgrade.py processes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderVariant, ROOT, tempDir, textOf } from './helpers.js';
import { POSTGRES_MISSING, PYTHON_WITH_PSYCOPG2, startPostgres, type Postgres } from './postgres.js';

const files = renderVariant();
const RUNNER = textOf(files, 'functions/schema_upgrade.py');
const FUNCTION = textOf(files, 'functions/db_migrate/index.py');
const FAKE_AWS = join(ROOT, 'test', 'fixtures', 'fake-aws');
const python = spawnSync('python3', ['--version']).status === 0;
const REQUIRED = process.env.REQUIRE_POSTGRES === '1';
const LOCKED = 75;

const work = tempDir('schema-upgrade-');
after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  /** The JSON lines the program printed, parsed. */
  lines: Record<string, any>[];
}

function run(command: string, args: string[], env: Record<string, string>, cwd = work): { done: Promise<Run>; kill: (signal: NodeJS.Signals) => void } {
  // Its own process group: killing it kills what it started, as stopping a container does.
  // PYTHONDONTWRITEBYTECODE: nothing lands in the repository's fixtures.
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', ...env }, detached: true });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => {
      const lines = out.split('\n').flatMap((line) => {
        try {
          const value = JSON.parse(line);
          return typeof value === 'object' && value !== null ? [value] : [];
        } catch {
          return [];
        }
      });
      resolve({ code, out, lines });
    }),
  );
  return { done, kill: (signal) => process.kill(-child.pid!, signal) };
}

/**
 * A stand-in for the image's migration runner (python3 /root/run_goose.py):
 * records that it ran in `record`, takes `seconds`, then records schema
 * version 20230118020300 as goose would, or fails with `exit`.
 */
const FAKE_MIGRATION = `
import os, sys, time, psycopg2
record, seconds, status = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
with open(record, "a") as f:
    f.write(f"up {os.getpid()}\\n")
time.sleep(seconds)
if status:
    sys.exit(status)
c = psycopg2.connect(host=os.environ["MF_METADATA_DB_HOST"], port=os.environ["MF_METADATA_DB_PORT"], user=os.environ["MF_METADATA_DB_USER"], dbname=os.environ["MF_METADATA_DB_NAME"])
c.autocommit = True
cur = c.cursor()
cur.execute("CREATE TABLE IF NOT EXISTS goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, is_applied boolean NOT NULL)")
cur.execute("INSERT INTO goose_db_version (version_id, is_applied) VALUES (20230118020300, true)")
`;
const fakeMigrationPath = join(work, 'fake_run_goose.py');
writeFileSync(fakeMigrationPath, FAKE_MIGRATION);

/** The image's migration files, as goose names them (the dry run lists the newer ones). */
const migrationsDir = join(work, 'migration_files');
mkdirSync(migrationsDir);
for (const name of ['1_create_tables.sql', '20200603104139_add_str_id_cols.sql', '20230118020300_drop_partial_indexes.sql', 'README']) writeFileSync(join(migrationsDir, name), '');

/** The schema upgrade task's container: python3 -c <schema_upgrade.py> <migration command>, with the task definition's environment. */
function upgradeTask(pg: Postgres, record: string, { seconds = 0, exit = 0, env = {} as Record<string, string> } = {}) {
  return run(PYTHON_WITH_PSYCOPG2!, ['-c', RUNNER, PYTHON_WITH_PSYCOPG2!, fakeMigrationPath, record, String(seconds), String(exit)], { ...pg.env, SCHEMA_MIGRATIONS_DIR: migrationsDir, ...env });
}
const DRY_RUN = { SCHEMA_UPGRADE_DRY_RUN: '1' };

const ranUpgrades = (record: string): string[] => {
  try {
    return readFileSync(record, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

/** Wait (10 s at most) until a migration recorded in `record` has started: the lock is then held. */
async function migrationStarted(record: string): Promise<void> {
  for (let i = 0; ranUpgrades(record).length === 0; i++) {
    assert.ok(i < 200, 'the migration never started');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const reportOf = (result: Run, what: string) => result.lines.map((line) => line.schema_upgrade).find((report) => report?.result === what);

const pgMissing = POSTGRES_MISSING && (REQUIRED ? false : POSTGRES_MISSING);

/** One PostgreSQL server for the file, started when a test first needs it; each test takes a database of its own. */
let server: Promise<Postgres> | undefined;
const postgres = (): Promise<Postgres> => (server ??= startPostgres());
let databases = 0;
const freshDatabase = async (): Promise<Postgres> => (await postgres()).database(`test_${++databases}`);
after(async () => (await server)?.stop());
if (POSTGRES_MISSING && REQUIRED) it('a real PostgreSQL is required here (REQUIRE_POSTGRES=1)', () => assert.fail(POSTGRES_MISSING));

describe('schema upgrade task against a real PostgreSQL', { skip: pgMissing || !python }, () => {
  let pg: Postgres;
  before(async () => (pg = await freshDatabase()));

  it('applies the migrations once under the lock and reports the versions', async () => {
    const record = join(work, 'once');
    const result = await upgradeTask(pg, record).done;
    assert.equal(result.code, 0, result.out);
    assert.equal(ranUpgrades(record).length, 1);
    assert.deepEqual(
      { before: reportOf(result, 'done').version_before, after: reportOf(result, 'done').version_after },
      { before: null, after: '20230118020300' },
    );
  });

  it('a second upgrade while one runs changes nothing, exits 75 and names the holder', async () => {
    const record = join(work, 'second');
    const first = upgradeTask(pg, record, { seconds: 3 });
    // Start the second once the first holds the lock.
    await migrationStarted(record);
    const second = await upgradeTask(pg, record).done;
    assert.equal(second.code, LOCKED, second.out);
    const locked = reportOf(second, 'locked');
    assert.equal(locked.holder.application_name, 'metaflow-schema-upgrade');
    assert.equal((await first.done).code, 0);
    assert.equal(ranUpgrades(record).length, 1, 'exactly one migration ran');
  });

  it('a failed migration passes its exit status on and releases the lock', async () => {
    const record = join(work, 'failed');
    const failed = await upgradeTask(pg, record, { exit: 3 }).done;
    assert.equal(failed.code, 3, failed.out);
    assert.equal(reportOf(failed, 'failed').exit_status, 3);
    const next = await upgradeTask(pg, record).done;
    assert.equal(next.code, 0, next.out);
    assert.equal(ranUpgrades(record).length, 2);
  });

  it('a killed upgrade task leaves no stale lock: the database releases it with the connection', async () => {
    const record = join(work, 'killed');
    const doomed = upgradeTask(pg, record, { seconds: 30 });
    await migrationStarted(record);
    doomed.kill('SIGKILL');
    await doomed.done;
    const next = await upgradeTask(pg, record).done;
    assert.equal(next.code, 0, next.out);
    assert.equal(ranUpgrades(record).length, 2);
  });

  it('a dry run changes nothing and reports the version, the newer migrations of the image and whether an upgrade runs', async () => {
    const record = join(work, 'dry');
    // A database of its own: the earlier tests migrated the suite's.
    const dryPg = await freshDatabase();
    const empty = await upgradeTask(dryPg, record, { env: DRY_RUN }).done;
    assert.equal(empty.code, 0, empty.out);
    assert.deepEqual(reportOf(empty, 'status'), { result: 'status', version: null, pending: ['1', '20200603104139', '20230118020300'], up_to_date: false, upgrade_running: false, holder: null });
    assert.equal(ranUpgrades(record).length, 0, 'a dry run runs no migration');

    const upgrading = upgradeTask(dryPg, record, { seconds: 3 });
    await migrationStarted(record);
    const during = reportOf(await upgradeTask(dryPg, record, { env: DRY_RUN }).done, 'status');
    assert.equal(during.upgrade_running, true);
    assert.equal(during.holder.application_name, 'metaflow-schema-upgrade');
    assert.equal((await upgrading.done).code, 0);

    const after = reportOf(await upgradeTask(dryPg, record, { env: DRY_RUN }).done, 'status');
    assert.deepEqual([after.version, after.pending, after.up_to_date, after.upgrade_running], ['20230118020300', [], true, false]);
  });

  it('refuses a password holding "/", which the image\'s run_goose.py cannot pass to goose, before touching anything', async () => {
    const record = join(work, 'slash');
    const result = await run(PYTHON_WITH_PSYCOPG2!, ['-c', RUNNER, PYTHON_WITH_PSYCOPG2!, fakeMigrationPath, record, '0', '0'], { ...pg.env, MF_METADATA_DB_PSWD: 'a/b' }).done;
    assert.equal(result.code, 2);
    assert.match(result.lines[0]?.schema_upgrade?.error, /password holds "\/".*run_goose\.py/);
    assert.equal(ranUpgrades(record).length, 0);
  });

  it('refuses to start without the database settings, naming them', async () => {
    const { MF_METADATA_DB_PSWD: _, ...withoutPassword } = pg.env;
    const result = await run(PYTHON_WITH_PSYCOPG2!, ['-c', RUNNER, 'true'], withoutPassword).done;
    assert.equal(result.code, 2);
    assert.match(result.lines[0]?.schema_upgrade?.error, /MF_METADATA_DB_PSWD/);
  });
});

// ---- The migration function, against a fake ECS and a fake migration API.

interface FakeTask {
  arn: string;
  /** The environment the function overrode for this run. */
  environment: Record<string, string>;
  /** Set when the task has stopped, with what it printed (its log stream). */
  stopped?: { exitCode?: number; stoppedReason: string; output?: string };
}

interface FakeAws {
  url: string;
  calls: { op: string; params: any }[];
  close: () => Promise<void>;
}

const FAMILY = 'metaflow-metadata-dev-schema-upgrade';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:metaflow-dev-db-password-AbCdEf';

/**
 * ECS for the function: run_task starts a task with `startTask` (a real
 * process, or a scripted result), describe_tasks reports it, update_service
 * is recorded, logs.get_log_events returns a stopped task's output.
 */
async function fakeAws(startTask: (task: FakeTask) => void, runTaskError?: () => object | undefined): Promise<FakeAws> {
  const calls: { op: string; params: any }[] = [];
  const tasks = new Map<string, FakeTask>();
  const body = async (request: IncomingMessage): Promise<any> => {
    let text = '';
    for await (const chunk of request) text += chunk;
    return text ? JSON.parse(text) : {};
  };
  const server: Server = createServer(async (request, response) => {
    const reply = (value: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const op = request.url!.slice(1).replace('/', '.');
    const params = await body(request);
    calls.push({ op, params });
    if (op === 'ecs.run_task') {
      const error = runTaskError?.();
      if (error) return reply(error);
      const overrides = (params.overrides?.containerOverrides ?? []) as { name: string; environment?: { name: string; value: string }[] }[];
      const environment = Object.fromEntries(overrides.flatMap((o) => (o.environment ?? []).map((e) => [e.name, e.value])));
      const task: FakeTask = { arn: `arn:aws:ecs:us-east-1:123456789012:task/metaflow-metadata-dev/${(tasks.size + 1).toString(16).padStart(32, '0')}`, environment };
      tasks.set(task.arn, task);
      startTask(task);
      return reply({ tasks: [{ taskArn: task.arn, lastStatus: 'PROVISIONING' }], failures: [] });
    }
    if (op === 'ecs.describe_tasks') {
      return reply({
        tasks: (params.tasks as string[]).map((arn) => {
          const task = tasks.get(arn)!;
          return task.stopped
            ? { taskArn: arn, lastStatus: 'STOPPED', stoppedReason: task.stopped.stoppedReason, containers: [{ name: 'schema-upgrade', ...(task.stopped.exitCode === undefined ? {} : { exitCode: task.stopped.exitCode }) }] }
            : { taskArn: arn, lastStatus: 'RUNNING', containers: [{ name: 'schema-upgrade' }] };
        }),
        failures: [],
      });
    }
    if (op === 'ecs.update_service') return reply({ service: { serviceName: params.service } });
    if (op === 'logs.get_log_events') {
      // The stream the awslogs driver writes: <prefix>/<container>/<task id>.
      const task = [...tasks.values()].find((t) => params.logStreamName === `schema-upgrade/schema-upgrade/${t.arn.split('/').pop()}`);
      if (!task) return reply({ __error__: { Code: 'ResourceNotFoundException', Message: `no log stream ${params.logStreamName}` } });
      const lines = (task.stopped?.output ?? '').split('\n').filter(Boolean);
      return reply({ events: lines.map((message, i) => ({ timestamp: i, message })) });
    }
    return reply({ __error__: { Code: 'InvalidAction', Message: `the fake does not know ${op}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Run the generated handler with `event`, as Lambda would, with `seconds` left. */
function invoke(aws: FakeAws, event: object, seconds = 60): Promise<Run> {
  const dir = mkdtempSync(join(work, 'function-'));
  writeFileSync(join(dir, 'index.py'), FUNCTION);
  const driver = [
    'import json, sys, time, index',
    `deadline = time.time() + ${seconds}`,
    'class Context:',
    '    def get_remaining_time_in_millis(self):',
    '        return int((deadline - time.time()) * 1000)',
    'try:',
    `    print(json.dumps({"result": index.handler(json.loads(${JSON.stringify(JSON.stringify(event))}), Context())}))`,
    'except Exception as error:',
    '    print(json.dumps({"error": type(error).__name__, "message": str(error)}))',
    '    sys.exit(1)',
  ].join('\n');
  return run('python3', ['-c', driver], {
    PYTHONPATH: FAKE_AWS,
    FAKE_AWS_URL: aws.url,
    POLL_SECONDS: '0.1',
    CLUSTER: 'arn:aws:ecs:us-east-1:123456789012:cluster/metaflow-metadata-dev',
    SERVICE: 'metaflow-metadata-dev',
    SCHEMA_UPGRADE_FAMILY: FAMILY,
    SCHEMA_UPGRADE_CONTAINER: 'schema-upgrade',
    SUBNETS: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
    SECURITY_GROUPS: 'sg-0123456789abcdef0',
    ASSIGN_PUBLIC_IP: 'DISABLED',
    LOG_GROUP: '/ecs/metaflow-metadata-dev',
    LOG_STREAM_PREFIX: 'schema-upgrade',
    DATABASE_SECRET_ARN: SECRET,
  }, dir).done;
}

const outcome = (result: Run): Record<string, any> => result.lines.at(-1) ?? {};
const ops = (aws: FakeAws): string[] => aws.calls.map((call) => call.op);
/** A task that stops at once with `exitCode` (undefined: its container never ran), having printed `output`. */
const stopsWith = (exitCode: number | undefined, stoppedReason = 'Essential container in task exited', output = '') => (task: FakeTask) => {
  task.stopped = { exitCode, stoppedReason, output };
};

describe('migration function', { skip: !python && 'python3 not found', concurrency: true }, () => {
  it('two invocations at once run exactly one migration: the other reports the lock and restarts nothing', { skip: pgMissing }, async () => {
    const pg = await freshDatabase();
    const record = join(work, 'race');
    const aws = await fakeAws((task) => {
      upgradeTask(pg, record, { seconds: 2, env: task.environment }).done.then((result) => {
        task.stopped = { exitCode: result.code ?? undefined, stoppedReason: 'Essential container in task exited', output: result.out };
      });
    });
    try {
      const [a, b] = await Promise.all([invoke(aws, {}), invoke(aws, {})]);
      assert.equal(ranUpgrades(record).length, 1, 'exactly one migration ran');
      assert.equal(ops(aws).filter((op) => op === 'ecs.run_task').length, 2);
      const [won, lost] = a.code === 0 ? [a, b] : [b, a];
      assert.equal(won.code, 0, won.out);
      assert.equal(outcome(won).result.upgraded, true);
      assert.equal(lost.code, 1, lost.out);
      assert.match(outcome(lost).message, /another schema upgrade holds the database's lock/);
      assert.equal(ops(aws).filter((op) => op === 'ecs.update_service').length, 1, 'the service restarts once, after the upgrade that ran');
    } finally {
      await aws.close();
    }
  });

  it('a dry run through the function returns what the real task reported about the real database', { skip: pgMissing }, async () => {
    const pg = await freshDatabase();
    const record = join(work, 'function-dry');
    const aws = await fakeAws((task) => {
      upgradeTask(pg, record, { env: task.environment }).done.then((result) => {
        task.stopped = { exitCode: result.code ?? undefined, stoppedReason: 'Essential container in task exited', output: result.out };
      });
    });
    try {
      const result = await invoke(aws, { dry_run: true });
      assert.equal(result.code, 0, result.out);
      assert.deepEqual(outcome(result).result.status.pending, ['1', '20200603104139', '20230118020300']);
      assert.equal(ranUpgrades(record).length, 0);
      assert.ok(!ops(aws).includes('ecs.update_service'));
    } finally {
      await aws.close();
    }
  });

  it("terraform apply's invocation runs the revision it names and leaves the restart to the apply", async () => {
    const aws = await fakeAws(stopsWith(0));
    const revision = `arn:aws:ecs:us-east-1:123456789012:task-definition/${FAMILY}:7`;
    const result = await invoke(aws, { action: 'upgrade', task_definition: revision, redeploy: false });
    await aws.close();
    assert.equal(result.code, 0, result.out);
    const runTask = aws.calls.find((call) => call.op === 'ecs.run_task')!.params;
    assert.equal(runTask.taskDefinition, revision);
    assert.equal(runTask.launchType, 'FARGATE');
    assert.deepEqual(runTask.networkConfiguration.awsvpcConfiguration, {
      subnets: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      securityGroups: ['sg-0123456789abcdef0'],
      assignPublicIp: 'DISABLED',
    });
    assert.ok(!ops(aws).includes('ecs.update_service'));
    assert.deepEqual(outcome(result).result.redeployed, false);
  });

  it('an upgrade by hand restarts the service after it, so the tasks load the code for the new schema', async () => {
    const aws = await fakeAws(stopsWith(0));
    const result = await invoke(aws, {});
    await aws.close();
    assert.equal(result.code, 0, result.out);
    assert.equal(aws.calls.find((call) => call.op === 'ecs.run_task')!.params.taskDefinition, FAMILY);
    const update = aws.calls.find((call) => call.op === 'ecs.update_service')!.params;
    assert.deepEqual(update, { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/metaflow-metadata-dev', service: 'metaflow-metadata-dev', forceNewDeployment: true });
  });

  it('refuses a task definition of another family', async () => {
    const aws = await fakeAws(stopsWith(0));
    const result = await invoke(aws, { task_definition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/something-else:1' });
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, new RegExp(`must be a revision of ${FAMILY}`));
    assert.deepEqual(ops(aws), []);
  });

  it('a failed migration fails the invocation with its exit status and where its output is', async () => {
    const aws = await fakeAws(stopsWith(1));
    const result = await invoke(aws, {});
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, /the schema upgrade failed \(exit status 1\).*aws logs tail \/ecs\/metaflow-metadata-dev --log-stream-names schema-upgrade\/schema-upgrade\/0+1/);
    assert.ok(!ops(aws).includes('ecs.update_service'));
  });

  it('a task that never ran its container reports why (the image, the secret)', async () => {
    const aws = await fakeAws(stopsWith(undefined, 'CannotPullContainerError: pull access denied'));
    const result = await invoke(aws, {});
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, /stopped before its container ran: CannotPullContainerError: pull access denied/);
  });

  it('ECS refusing to start the task fails the invocation with its reasons', async () => {
    const aws = await fakeAws(stopsWith(0), () => ({ tasks: [], failures: [{ reason: 'MISSING', detail: 'no capacity' }] }));
    const result = await invoke(aws, {});
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, /ECS did not start the schema upgrade task: .*no capacity/);
  });

  it('a task still running when time runs out is left to finish, and the message says how to follow it', async () => {
    const aws = await fakeAws(() => {});
    const result = await invoke(aws, {}, 16);
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, /is still running; it holds the lock and finishes on its own.*--follow/);
    assert.ok(!ops(aws).includes('ecs.update_service'));
  });

  it('a dry run runs the task with SCHEMA_UPGRADE_DRY_RUN=1 and returns the report it logged, restarting nothing', async () => {
    const report = { result: 'status', version: '20230118020300', pending: [], up_to_date: true, upgrade_running: false, holder: null };
    const aws = await fakeAws(stopsWith(0, 'Essential container in task exited', `waiting for the database\n${JSON.stringify({ schema_upgrade: report })}\n`));
    const result = await invoke(aws, { dry_run: true });
    await aws.close();
    assert.equal(result.code, 0, result.out);
    assert.deepEqual(ops(aws), ['ecs.run_task', 'ecs.describe_tasks', 'logs.get_log_events']);
    assert.deepEqual(aws.calls[0]!.params.overrides, { containerOverrides: [{ name: 'schema-upgrade', environment: [{ name: 'SCHEMA_UPGRADE_DRY_RUN', value: '1' }] }] });
    assert.deepEqual(outcome(result).result.status, report);
  });

  it("a new AWSCURRENT version of the database secret restarts the service; another secret's does not", async () => {
    const aws = await fakeAws(stopsWith(0));
    const event = (resource: string, label = 'AWSCURRENT') => ({
      version: '0',
      source: 'aws.secretsmanager',
      'detail-type': 'Secret Label Updated',
      resources: [resource],
      detail: { name: 'metaflow-dev-db-password', labelUpdated: label, versionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' },
    });
    const ours = await invoke(aws, event(SECRET));
    const other = await invoke(aws, event(SECRET.replace('metaflow-dev', 'other')));
    const staged = await invoke(aws, event(SECRET, 'STAGED'));
    await aws.close();
    for (const result of [ours, other, staged]) assert.equal(result.code, 0, result.out);
    assert.deepEqual(ops(aws), ['ecs.update_service']);
    assert.equal(outcome(ours).result.redeployed, true);
    assert.equal(outcome(other).result.redeployed, false);
  });

  it('retries RunTask while a new role policy propagates, then gives up with the error', async () => {
    let denials = 2;
    const aws = await fakeAws(stopsWith(0), () => (denials-- > 0 ? { __error__: { Code: 'AccessDeniedException', Message: 'not authorized to perform ecs:RunTask' } } : undefined));
    const result = await invoke(aws, { redeploy: false });
    await aws.close();
    assert.equal(result.code, 0, result.out);
    assert.equal(ops(aws).filter((op) => op === 'ecs.run_task').length, 3);
  });

  it('an unknown action is refused, naming the ones it takes', async () => {
    const aws = await fakeAws(stopsWith(0));
    const result = await invoke(aws, { action: 'downgrade' });
    await aws.close();
    assert.equal(result.code, 1);
    assert.match(outcome(result).message, /unknown action 'downgrade'.*"upgrade".*"status"/);
    assert.deepEqual(ops(aws), []);
  });
});
