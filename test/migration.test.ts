// The migration function's logic, run by a real python3 against a fake
// migration API on 127.0.0.1: it upgrades exactly when the schema is behind
// (migration_in_progress is true whenever migrations are pending, so it is no
// lock), and fails loudly when an upgrade leaves the schema behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderVariant, textOf } from './helpers.js';

const python = spawnSync('python3', ['--version']).status === 0;

interface Fake {
  url: string;
  calls: string[];
  close: () => Promise<void>;
}

/** A migration API whose status answers come from `statuses`, one per GET. */
async function fakeMigrationApi(statuses: object[]): Promise<Fake> {
  const calls: string[] = [];
  let gets = 0;
  const server: Server = createServer((request, response) => {
    calls.push(`${request.method} ${request.url}`);
    if (request.method === 'GET' && request.url === '/db_schema_status') {
      const body = statuses[Math.min(gets++, statuses.length - 1)];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } else if (request.method === 'PATCH' && request.url === '/upgrade') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'upgrade ok' }));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Run the generated handler with `event`; resolves with its JSON result or its error text. */
function invoke(url: string, event: object): Promise<{ ok: boolean; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'db-migrate-'));
  writeFileSync(join(dir, 'index.py'), textOf(renderVariant(), 'functions/db_migrate/index.py'));
  const script = `import json, index\nprint(json.dumps(index.handler(json.loads(${JSON.stringify(JSON.stringify(event))}), None)))`;
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', script], { cwd: dir, env: { ...process.env, MIGRATION_API_URL: url } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => resolve({ ok: code === 0, out }));
  });
}

const behind = { is_up_to_date: false, migration_in_progress: true, current_version: '1', unapplied_migrations: ['2'] };
const current = { is_up_to_date: true, migration_in_progress: false, current_version: '2', unapplied_migrations: [] };

describe('migration function', { skip: !python && 'python3 not found' }, () => {
  it('upgrades a schema that is behind, even though migration_in_progress reports pending migrations', async () => {
    const api = await fakeMigrationApi([behind, current]);
    const { ok, out } = await invoke(api.url, {});
    await api.close();
    assert.ok(ok, out);
    assert.deepEqual(api.calls, ['GET /db_schema_status', 'PATCH /upgrade', 'GET /db_schema_status']);
    assert.equal(JSON.parse(out.trim().split('\n').pop()!).upgraded, true);
  });

  it('leaves an up-to-date schema alone', async () => {
    const api = await fakeMigrationApi([current]);
    const { ok, out } = await invoke(api.url, {});
    await api.close();
    assert.ok(ok, out);
    assert.deepEqual(api.calls, ['GET /db_schema_status']);
    assert.equal(JSON.parse(out.trim().split('\n').pop()!).upgraded, false);
  });

  it('fails when the schema is still behind after the upgrade', async () => {
    const api = await fakeMigrationApi([behind, behind]);
    const { ok, out } = await invoke(api.url, {});
    await api.close();
    assert.equal(ok, false);
    assert.match(out, /still not up to date after PATCH \/upgrade/);
  });

  it('a dry run only reads the status', async () => {
    const api = await fakeMigrationApi([behind]);
    const { ok, out } = await invoke(api.url, { dry_run: true });
    await api.close();
    assert.ok(ok, out);
    assert.deepEqual(api.calls, ['GET /db_schema_status']);
  });
});
