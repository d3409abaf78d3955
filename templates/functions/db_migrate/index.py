"""Upgrade the Metaflow metadata database schema.

Reads the schema status from the migration API (port 8082 of the metadata
service, reached through the internal load balancer), asks it to apply every
pending migration, and reads the status again. Invoke it with an empty event;
pass {"dry_run": true} to only report the status.
"""

import json
import os
import urllib.error
import urllib.request

BASE_URL = os.environ["MIGRATION_API_URL"].rstrip("/")
TIMEOUT_SECONDS = 300


def call(method, path):
    request = urllib.request.Request(BASE_URL + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read().decode("utf-8")
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        raise RuntimeError(f"{method} {path} returned HTTP {error.code}: {body}") from error
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, body


def handler(event, context):
    event = event or {}
    _, before = call("GET", "/db_schema_status")
    print(json.dumps({"step": "status", "result": before}))
    if event.get("dry_run"):
        return {"upgraded": False, "before": before, "after": before}

    status, upgrade = call("PATCH", "/upgrade")
    print(json.dumps({"step": "upgrade", "http_status": status, "result": upgrade}))

    _, after = call("GET", "/db_schema_status")
    print(json.dumps({"step": "status", "result": after}))
    return {
        "upgraded": True,
        "before": before,
        "upgrade": upgrade,
        "after": after,
        "next_step": "Start a new ECS deployment (aws ecs update-service --force-new-deployment) "
        "so the tasks load the new schema.",
    }
