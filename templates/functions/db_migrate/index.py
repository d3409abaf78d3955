"""Upgrade the Metaflow metadata database schema.

Reads the schema status from the migration API (port 8082 of the metadata
service, reached through the internal load balancer), asks it to apply every
pending migration, and reads the status again. Invoke it with an empty event;
pass {"dry_run": true} to only report the status.

PATCH /upgrade blocks until the migration is done, so each request may use all
the time the invocation has left (the function's timeout is Lambda's maximum,
900 s). A schema that is already up to date is left alone, and an upgrade that
leaves it out of date fails the invocation.
"""

import json
import os
import urllib.error
import urllib.request

BASE_URL = os.environ["MIGRATION_API_URL"].rstrip("/")
# Leave this long to report a timeout before Lambda stops the invocation.
MARGIN_SECONDS = 10


def call(method, path, timeout):
    request = urllib.request.Request(BASE_URL + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read().decode("utf-8")
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        raise RuntimeError(f"{method} {path} returned HTTP {error.code}: {body}") from error
    try:
        return status, json.loads(body) if body else None
    except ValueError:
        return status, body


def time_left(context):
    """Seconds this invocation may still wait for a response."""
    if context is None:
        return 300
    return max(1, context.get_remaining_time_in_millis() / 1000 - MARGIN_SECONDS)


def handler(event, context):
    event = event or {}
    _, before = call("GET", "/db_schema_status", time_left(context))
    print(json.dumps({"step": "status", "result": before}))
    if event.get("dry_run"):
        return {"upgraded": False, "before": before, "after": before}
    # migration_in_progress is not a lock: the service reports it whenever
    # migrations are pending. Whether to upgrade follows is_up_to_date.
    if isinstance(before, dict) and before.get("is_up_to_date") is True:
        return {"upgraded": False, "before": before, "after": before, "next_step": "The schema is up to date; nothing to do."}

    status, upgrade = call("PATCH", "/upgrade", time_left(context))
    print(json.dumps({"step": "upgrade", "http_status": status, "result": upgrade}))

    _, after = call("GET", "/db_schema_status", time_left(context))
    print(json.dumps({"step": "status", "result": after}))
    if not (isinstance(after, dict) and after.get("is_up_to_date") is True):
        raise RuntimeError(f"the schema is still not up to date after PATCH /upgrade: {json.dumps(after)}")
    return {
        "upgraded": True,
        "before": before,
        "upgrade": upgrade,
        "after": after,
        "next_step": "Start a new ECS deployment (aws ecs update-service --force-new-deployment) "
        "so the tasks load the new schema.",
    }
