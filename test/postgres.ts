// A throwaway PostgreSQL server for tests that need a real database (the
// schema upgrade's advisory lock), and a python3 that can reach it (psycopg2).
// Found where Debian puts them; .ci/run installs what is missing. Without
// them the tests that need them skip, loudly, unless REQUIRE_POSTGRES=1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function postgresBin(): string | undefined {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  // Debian links initdb into /usr/local/bin on some machines; its siblings stay beside the real one.
  if (fromPath) return realpathSync(fromPath).replace(/\/initdb$/, '');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** A python3 that imports psycopg2 (the metadata service image's own python does). */
export const PYTHON_WITH_PSYCOPG2 = ['python3', '/usr/bin/python3'].find(
  (python) => spawnSync(python, ['-c', 'import psycopg2'], { stdio: 'ignore' }).status === 0,
);

const BIN = postgresBin();

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export const POSTGRES_MISSING: string | undefined = !BIN
  ? 'no PostgreSQL server binaries (initdb, postgres): apt-get install postgresql'
  : !PYTHON_WITH_PSYCOPG2
    ? 'no python3 with psycopg2: apt-get install python3-psycopg2'
    : undefined;

if (POSTGRES_MISSING) process.stderr.write(`\n!!! ${POSTGRES_MISSING}: the tests against a real PostgreSQL are SKIPPED\n\n`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Postgres {
  port: number;
  /** The MF_METADATA_DB_* settings the service and the schema upgrade read. */
  env: Record<string, string>;
  /** A new, empty database on the same server (advisory locks are per database, so tests in two never meet). */
  database: (name: string) => Postgres;
  stop: () => Promise<void>;
}

/** initdb and start a server on 127.0.0.1 (trust authentication, no fsync); as root, runs as the postgres user. */
export async function startPostgres(): Promise<Postgres> {
  if (!BIN) throw new Error(POSTGRES_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'mfmd-pg-test-'));
  const data = join(dir, 'data');
  let ids: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    // initdb refuses to run as root.
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim() || 65534);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim() || 65534);
    ids = { uid, gid };
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const init = spawnSync(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], { encoding: 'utf8', ...ids });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const server: ChildProcess = spawn(
    join(BIN, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=40'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...ids },
  );
  let log = '';
  server.stderr?.on('data', (chunk) => (log += chunk));
  const ready = (): boolean => spawnSync(join(BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0;
  const started = Date.now();
  while (!ready()) {
    if (server.exitCode !== null || Date.now() - started > 20_000) {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const env = {
    MF_METADATA_DB_HOST: '127.0.0.1',
    MF_METADATA_DB_PORT: String(port),
    MF_METADATA_DB_USER: 'postgres',
    MF_METADATA_DB_PSWD: 'not-checked-under-trust',
    MF_METADATA_DB_NAME: 'postgres',
    MF_METADATA_DB_SSL_MODE: 'disable',
  };
  const stop = async (): Promise<void> => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGINT'); // fast shutdown
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const database = (name: string): Postgres => {
    const created = spawnSync(join(BIN!, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE "${name}"`], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${created.stderr}`);
    return { port, env: { ...env, MF_METADATA_DB_NAME: name }, database, stop: async () => {} };
  };
  return { port, env, database, stop };
}
