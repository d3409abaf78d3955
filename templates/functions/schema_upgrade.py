"""Apply the metadata service image's schema migrations, one upgrade at a time.

The schema upgrade task (migration.tf) runs this file inside the metadata
service image as `python3 -c <this file> <migration command...>`; the command
is the image's own migration runner, `python3 /root/run_goose.py` (goose up
over the image's migration files, the runner Metaflow's Helm chart uses).

goose 3.9, in the image, takes no lock: two upgrades at once deadlock and can
leave an index invalid. So this holds a PostgreSQL advisory lock on its own
connection for as long as the migration command runs. A second upgrade finds
the lock taken and exits 75 without touching the schema. PostgreSQL releases
the lock when this process or its connection ends, so a killed upgrade never
leaves a stale lock behind.

With SCHEMA_UPGRADE_DRY_RUN=1 it changes nothing and takes no lock: it
reports the schema version, the image's migrations (in SCHEMA_MIGRATIONS_DIR)
that are newer, and whether an upgrade holds the lock now.

Exit status: 0 the schema is up to date (it was, or the command brought it
there), or a dry run reported; 75 another upgrade holds the lock; 2 the
settings are missing or unusable; anything else is the migration command's
own failure.

Needs the image's python3 with psycopg2, and the MF_METADATA_DB_* environment
the service itself reads.
"""

import json
import os
import re
import subprocess
import sys
import time

import psycopg2

# The advisory lock every schema upgrade of this module takes: a fixed 64-bit
# key (the first 8 bytes of sha256("metaflow-metadata-schema-upgrade"), signed).
# PostgreSQL scopes advisory locks to a database: two Metaflow databases on one
# server never wait for each other.
LOCK_KEY = 5486655444943293979
LOCKED = 75
# On a first apply the database may admit the service's security group only
# moments before this runs: keep trying for a while.
CONNECT_SECONDS = 180


def report(**fields):
    print(json.dumps({"schema_upgrade": fields}, sort_keys=True), flush=True)


def connection_settings():
    env = os.environ
    missing = [name for name in ("HOST", "PORT", "USER", "PSWD", "NAME") if not env.get("MF_METADATA_DB_" + name)]
    if missing:
        report(error="missing database settings: " + ", ".join("MF_METADATA_DB_" + name for name in missing))
        sys.exit(2)
    settings = {
        "host": env["MF_METADATA_DB_HOST"],
        "port": int(env["MF_METADATA_DB_PORT"]),
        "user": env["MF_METADATA_DB_USER"],
        "password": env["MF_METADATA_DB_PSWD"],
        "dbname": env["MF_METADATA_DB_NAME"],
        "sslmode": env.get("MF_METADATA_DB_SSL_MODE") or "prefer",
        "application_name": "metaflow-schema-upgrade",
        "connect_timeout": 10,
        # The lock's connection sits idle while the migration runs.
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    if env.get("MF_METADATA_DB_SSL_ROOT_CERT_PATH"):
        settings["sslrootcert"] = env["MF_METADATA_DB_SSL_ROOT_CERT_PATH"]
    return settings


def connect(settings):
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            connection = psycopg2.connect(**settings)
            connection.autocommit = True
            return connection
        except psycopg2.OperationalError as error:
            if time.monotonic() >= deadline:
                raise
            print(f"waiting for the database: {str(error).strip()}", file=sys.stderr, flush=True)
            time.sleep(2)


def schema_version(cursor):
    """The newest applied goose version, or None on a database without the schema."""
    cursor.execute("SELECT to_regclass('goose_db_version') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("SELECT version_id FROM goose_db_version WHERE is_applied ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    return None if row is None else str(row[0])


def lock_holder(cursor):
    """Who holds the lock, for the message (best effort: None when it was just released)."""
    cursor.execute(
        "SELECT a.pid, a.application_name, host(a.client_addr), a.backend_start::text"
        " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = %s::bigint",
        (LOCK_KEY,),
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip(("pid", "application_name", "client_addr", "since"), row))


def newer_migrations(version):
    """The image's migration versions newer than `version` (None: the directory is not known)."""
    directory = os.environ.get("SCHEMA_MIGRATIONS_DIR")
    if not directory or not os.path.isdir(directory):
        return None
    current = int(version) if version is not None else 0
    found = (re.match(r"^([0-9]+)_.*\.sql$", name) for name in os.listdir(directory))
    return [str(v) for v in sorted(int(m.group(1)) for m in found if m) if v > current]


def dry_run():
    connection = connect(connection_settings())
    cursor = connection.cursor()
    version = schema_version(cursor)
    newer = newer_migrations(version)
    holder = lock_holder(cursor)
    report(result="status", version=version, pending=newer, up_to_date=None if newer is None else not newer,
           upgrade_running=holder is not None, holder=holder)
    connection.close()
    return 0


def main(command):
    if os.environ.get("SCHEMA_UPGRADE_DRY_RUN") == "1":
        return dry_run()
    if not command:
        report(error="no migration command given (python3 -c <this file> python3 /root/run_goose.py)")
        return 2
    settings = connection_settings()
    if "/" in settings["password"]:
        # run_goose.py puts the password in a URL with urllib's quote(), which
        # leaves "/" as it is: goose then reads a wrong host and cannot connect.
        report(error='the database password holds "/", which the image\'s run_goose.py does not escape, so goose cannot connect with it: use a password without "/"')
        return 2
    connection = connect(settings)
    cursor = connection.cursor()
    cursor.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,))
    if not cursor.fetchone()[0]:
        report(result="locked", lock_key=LOCK_KEY, holder=lock_holder(cursor),
               message="another schema upgrade holds the lock; this one changed nothing")
        return LOCKED
    before = schema_version(cursor)
    report(result="started", lock_key=LOCK_KEY, version_before=before, command=command)
    status = subprocess.call(command)
    after = schema_version(cursor)
    report(result="done" if status == 0 else "failed", exit_status=status, version_before=before, version_after=after)
    cursor.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    connection.close()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
