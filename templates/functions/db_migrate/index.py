"""Upgrade the Metaflow metadata database schema, and restart the service.

Events it takes:

  {} or {"action": "upgrade"}
      Run the schema upgrade task (an ECS task of the service's image that
      applies the image's migrations under a PostgreSQL advisory lock; see
      functions/schema_upgrade.py), wait for it, then start a new deployment
      of the service so its tasks load the code for the new schema. Add
      "redeploy": false to skip the restart (terraform apply does: it deploys
      the service itself right after), and "task_definition": "<arn>" to run
      one revision of the schema upgrade family (terraform apply names the one
      it just registered).
  {"dry_run": true} or {"action": "status"}
      Change nothing: run the schema upgrade task as a dry run, which reports
      the schema version, the image's migrations not applied yet, and whether
      an upgrade holds the lock; return that report (read from the task's log).
  A "Secret Label Updated" event of the database password secret (EventBridge,
  when a rotation moves AWSCURRENT)
      Start a new deployment: ECS reads the password only when a task starts.

Failures raise, so the invocation (and a terraform apply that invokes it)
fails with the reason: another upgrade holds the lock, the task could not
start (the stopped reason), the migration failed (exit status and log
stream), or the task is still running when this invocation's time runs out
(it then finishes on its own, holding the lock until it ends).
"""

import json
import os
import time

import boto3
from botocore.exceptions import ClientError

ENV = os.environ
CLUSTER = ENV["CLUSTER"]
SERVICE = ENV["SERVICE"]
FAMILY = ENV["SCHEMA_UPGRADE_FAMILY"]
CONTAINER = ENV["SCHEMA_UPGRADE_CONTAINER"]
SUBNETS = [s for s in ENV["SUBNETS"].split(",") if s]
SECURITY_GROUPS = [s for s in ENV["SECURITY_GROUPS"].split(",") if s]
ASSIGN_PUBLIC_IP = ENV.get("ASSIGN_PUBLIC_IP", "DISABLED")
LOG_GROUP = ENV["LOG_GROUP"]
LOG_STREAM_PREFIX = ENV["LOG_STREAM_PREFIX"]
SECRET_ARN = ENV["DATABASE_SECRET_ARN"]
# Seconds between two ECS calls while waiting (tests shorten it).
POLL_SECONDS = float(ENV.get("POLL_SECONDS", "5"))
# Leave this long to report before Lambda stops the invocation.
MARGIN_SECONDS = 15
# The exit status functions/schema_upgrade.py gives when another upgrade holds the lock.
LOCKED = 75

_clients = {}


def client(service):
    if service not in _clients:
        _clients[service] = boto3.client(service)
    return _clients[service]


def ecs():
    return client("ecs")


def log(**fields):
    print(json.dumps(fields, sort_keys=True, default=str), flush=True)


def time_left(context):
    """Seconds this invocation may still wait."""
    if context is None:
        return 300
    return context.get_remaining_time_in_millis() / 1000 - MARGIN_SECONDS


def redeploy(why):
    ecs().update_service(cluster=CLUSTER, service=SERVICE, forceNewDeployment=True)
    log(step="redeploy", service=SERVICE, why=why)


def family_of(task_definition):
    """`family` of "family:revision" or of a task definition ARN."""
    return task_definition.rsplit("/", 1)[-1].split(":", 1)[0]


def start_task(task_definition, environment=None):
    request = dict(
        cluster=CLUSTER,
        taskDefinition=task_definition,
        launchType="FARGATE",
        platformVersion="LATEST",
        count=1,
        startedBy="db-migrate",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": SUBNETS, "securityGroups": SECURITY_GROUPS, "assignPublicIp": ASSIGN_PUBLIC_IP}
        },
    )
    if environment:
        request["overrides"] = {
            "containerOverrides": [{"name": CONTAINER, "environment": [{"name": k, "value": v} for k, v in environment.items()]}]
        }
    # A role policy written moments ago (a first terraform apply) may take a
    # few seconds to reach every IAM endpoint.
    for attempt in range(6):
        try:
            response = ecs().run_task(**request)
            break
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "AccessDeniedException" or attempt == 5:
                raise
            time.sleep(POLL_SECONDS)
    if response.get("failures") or not response.get("tasks"):
        raise RuntimeError(f"ECS did not start the schema upgrade task: {json.dumps(response.get('failures'))}")
    return response["tasks"][0]["taskArn"]


def wait_for(task_arn, context):
    """The stopped task, or None when this invocation's time ran out first."""
    while True:
        tasks = ecs().describe_tasks(cluster=CLUSTER, tasks=[task_arn]).get("tasks") or []
        if tasks and tasks[0].get("lastStatus") == "STOPPED":
            return tasks[0]
        if time_left(context) < POLL_SECONDS:
            return None
        time.sleep(POLL_SECONDS)


def run(task_definition, context, environment=None):
    """Run the schema upgrade task and wait: (task ARN, the command that shows its output, the stopped task's exit code)."""
    task_arn = start_task(task_definition, environment)
    stream = f"{LOG_STREAM_PREFIX}/{CONTAINER}/{task_arn.rsplit('/', 1)[-1]}"
    logs = f"aws logs tail {LOG_GROUP} --log-stream-names {stream}"
    log(step="started", task=task_arn, logs=logs, dry_run=bool(environment))

    task = wait_for(task_arn, context)
    if task is None:
        raise RuntimeError(
            f"the schema upgrade task {task_arn} is still running; it holds the lock and finishes on its own. "
            f"Follow it with: {logs} --follow. When it has stopped, invoke this function again: it then finds "
            "nothing to migrate (or tells you the migration failed) and restarts the service."
            if not environment
            else f"the schema status task {task_arn} did not finish in time (it changes nothing); its output: {logs}"
        )
    container = next((c for c in task.get("containers", []) if c.get("name") == CONTAINER), {})
    exit_code = container.get("exitCode")
    log(step="stopped", task=task_arn, exit_code=exit_code, stopped_reason=task.get("stoppedReason"))
    if exit_code is None:
        raise RuntimeError(
            f"the schema upgrade task {task_arn} stopped before its container ran: "
            f"{task.get('stoppedReason')} {container.get('reason') or ''}".strip()
        )
    return task_arn, stream, logs, exit_code


def upgrade(event, context):
    task_definition = event.get("task_definition") or FAMILY
    if family_of(task_definition) != FAMILY:
        raise ValueError(f"task_definition must be a revision of {FAMILY}, not {task_definition}")
    task_arn, _, logs, exit_code = run(task_definition, context)
    if exit_code == LOCKED:
        raise RuntimeError(
            "another schema upgrade holds the database's lock, so this one changed nothing. "
            "Wait for it to end (its task logs to " + LOG_GROUP + "), then invoke again."
        )
    if exit_code != 0:
        raise RuntimeError(f"the schema upgrade failed (exit status {exit_code}); the migration's output: {logs}")

    redeployed = event.get("redeploy", True) is not False
    if redeployed:
        redeploy("the schema upgrade finished")
    return {"upgraded": True, "task": task_arn, "logs": logs, "redeployed": redeployed}


def status(context):
    task_arn, stream, logs, exit_code = run(FAMILY, context, {"SCHEMA_UPGRADE_DRY_RUN": "1"})
    if exit_code != 0:
        raise RuntimeError(f"the schema status task failed (exit status {exit_code}); its output: {logs}")
    # The log driver may deliver the last lines a moment after the task stops.
    for attempt in range(10):
        events = client("logs").get_log_events(logGroupName=LOG_GROUP, logStreamName=stream, startFromHead=True).get("events", [])
        for event in events:
            try:
                line = json.loads(event.get("message", ""))
            except ValueError:
                continue
            report = line.get("schema_upgrade") if isinstance(line, dict) else None
            if isinstance(report, dict) and report.get("result") == "status":
                log(step="status", result=report)
                return {"upgraded": False, "status": report, "task": task_arn}
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"the schema status task {task_arn} ended without a report in its log; its output: {logs}")


def rotated(event):
    detail = event.get("detail") or {}
    ours = SECRET_ARN in (event.get("resources") or []) and detail.get("labelUpdated") == "AWSCURRENT"
    if not ours:
        log(step="ignored", resources=event.get("resources"), label=detail.get("labelUpdated"))
        return {"redeployed": False, "reason": "not a new AWSCURRENT version of the database password secret"}
    redeploy("the database password secret has a new current version")
    return {"redeployed": True, "reason": "new tasks read the new password"}


def handler(event, context):
    event = event or {}
    if event.get("source") == "aws.secretsmanager" and event.get("detail-type") == "Secret Label Updated":
        return rotated(event)
    action = event.get("action") or ("status" if event.get("dry_run") else "upgrade")
    if action == "status":
        return status(context)
    if action == "upgrade":
        return upgrade(event, context)
    raise ValueError(f'unknown action {action!r}: use {{"action": "upgrade"}} (the default) or {{"action": "status"}}')
