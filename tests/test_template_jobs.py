"""template.yaml's grants per prefix, and the job resources: chunk queue, dead-letter queue, worker.

The worker is fed by the chunk queue with partial batch responses, its concurrency caps the event
source and is reserved, the queue's visibility timeout is 6x the worker's timeout and its
maxReceiveCount is the one the worker reads, and each function may touch only its prefixes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from handler.settings import Settings
from tests.test_template import resources, statements, template

__all__ = ["template"]  # the fixture, shared with test_template.py


def grants(function: dict[str, Any]) -> set[tuple[str, str]]:
    """(action, key prefix) of each S3 statement of a function ("" for the bucket itself)."""
    found = set()
    for statement in statements(function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resource = statement["Resource"]
        if not all(action.startswith("s3:") for action in actions):
            continue
        sub = resource["Fn::Sub"]
        arn = sub[0] if isinstance(sub, list) else sub
        found |= {(action, arn.rsplit("}", 1)[-1]) for action in actions}
    return found


def test_template_api_presigns_uploads_and_reads_only_uploads_results_jobs_exports(
    template: dict[str, Any],
) -> None:
    # GetObject on uploads/* serves POST /ocr with s3_key (keys outside uploads/ are refused in code too).
    assert grants(template["Resources"]["ApiFunction"]) == {
        ("s3:PutObject", "/uploads/*"),
        ("s3:PutObject", "/options/*"),  # POST /uploads stores the upload's options
        ("s3:GetObject", "/uploads/*"),
        ("s3:GetObject", "/results/*"),
        ("s3:GetObject", "/jobs/*"),  # a running job's manifest, for its progress
        ("s3:GetObject", "/exports/*"),  # signs the exports' download URLs
        ("s3:ListBucket", ""),
    }
    listing = next(
        s for s in statements(template["Resources"]["ApiFunction"]) if s["Action"] == "s3:ListBucket"
    )
    assert listing["Condition"]["StringLike"]["s3:prefix"] == ["results/*", "uploads/*", "jobs/*"]


def test_template_worker_writes_only_jobs_results_exports(template: dict[str, Any]) -> None:
    worker = template["Resources"]["JobWorkerFunction"]
    assert grants(worker) == {
        ("s3:GetObject", "/jobs/*"),
        ("s3:PutObject", "/jobs/*"),
        ("s3:GetObject", "/results/*"),
        ("s3:PutObject", "/results/*"),
        ("s3:PutObject", "/exports/*"),
        ("s3:GetObject", "/uploads/*"),  # HeadObject: has the upload been replaced?
        ("s3:ListBucket", ""),
    }
    sqs = [s for s in statements(worker) if str(s["Action"]).startswith("sqs:")]
    assert sqs == [
        {
            "Sid": "RetryFailedChunksSooner",
            "Effect": "Allow",
            "Action": "sqs:ChangeMessageVisibility",
            "Resource": {"Fn::GetAtt": "ChunkQueue.Arn"},
        }
    ]


def test_template_trigger_starts_jobs_on_the_chunk_queue(template: dict[str, Any]) -> None:
    trigger = template["Resources"]["UploadTriggerFunction"]
    assert {("s3:GetObject", "/jobs/*"), ("s3:PutObject", "/jobs/*")} <= grants(trigger)
    sends = [
        p["SQSSendMessagePolicy"]["QueueName"]
        for p in trigger["Properties"]["Policies"]
        if "SQSSendMessagePolicy" in p
    ]
    assert {"Fn::GetAtt": "ChunkQueue.QueueName"} in sends
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    assert env["OCR_JOB_QUEUE_URL"] == {"Ref": "ChunkQueue"}


def test_template_worker_is_fed_by_the_chunk_queue_with_partial_batch_responses(
    template: dict[str, Any],
) -> None:
    worker = template["Resources"]["JobWorkerFunction"]["Properties"]
    assert worker["Handler"] == "handler.job_worker.handler"
    event = worker["Events"]["Chunks"]
    assert event["Type"] == "SQS"
    props = event["Properties"]
    assert props["Queue"] == {"Fn::GetAtt": "ChunkQueue.Arn"}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BatchSize"] == {"Ref": "WorkerBatchSize"}
    # The event source never runs more workers than are reserved, so no message is throttled
    # into burning its receives; provisioned pollers (a fixed count) replace the maximum.
    provisioned, _, standard = props["ScalingConfig"]["Fn::If"]
    assert provisioned == "ProvisionedPollers"
    assert standard["MaximumConcurrency"] == worker["ReservedConcurrentExecutions"]
    condition, pollers, none = props["ProvisionedPollerConfig"]["Fn::If"]
    assert condition == "ProvisionedPollers" and none == _ == {"Ref": "AWS::NoValue"}
    assert pollers == {"MinimumPollers": {"Ref": "WorkerPollers"}, "MaximumPollers": {"Ref": "WorkerPollers"}}
    assert template["Conditions"]["ProvisionedPollers"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "WorkerPollers"}, 0]}]
    }
    assert template["Parameters"]["WorkerPollers"]["Default"] == 0
    assert 1 not in template["Parameters"]["WorkerPollers"]["AllowedValues"]  # SQS needs 2 or more
    assert worker["ReservedConcurrentExecutions"] == {"Ref": "WorkerConcurrency"}
    assert worker["MemorySize"] == {"Ref": "WorkerMemorySize"} and worker["Timeout"] == {
        "Ref": "WorkerTimeout"
    }
    assert worker["Environment"]["Variables"]["OCR_THREADS"] == "1"


def test_template_chunk_queue_visibility_is_six_times_the_worker_timeout(template: dict[str, Any]) -> None:
    timeout = template["Parameters"]["WorkerTimeout"]
    table = template["Mappings"]["VisibilityByWorkerTimeout"]
    assert {int(seconds) for seconds in table} == set(timeout["AllowedValues"]) and timeout[
        "Default"
    ] in timeout["AllowedValues"]
    assert all(row["Seconds"] == 6 * int(seconds) for seconds, row in table.items())
    queue = template["Resources"]["ChunkQueue"]["Properties"]
    assert queue["VisibilityTimeout"] == {
        "Fn::FindInMap": ["VisibilityByWorkerTimeout", {"Ref": "WorkerTimeout"}, "Seconds"]
    }


def test_template_chunk_queue_gives_up_where_the_worker_does(template: dict[str, Any]) -> None:
    queue = template["Resources"]["ChunkQueue"]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": "ChunkDeadLetterQueue.Arn"},
        "maxReceiveCount": {"Ref": "JobMaxReceives"},
    }
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    assert env["OCR_JOB_MAX_RECEIVES"] == {"Ref": "JobMaxReceives"}
    assert template["Resources"]["ChunkDeadLetterQueue"]["Properties"]["MessageRetentionPeriod"] == 1209600


def test_template_environment_names_only_variables_the_code_reads(template: dict[str, Any]) -> None:
    known = {spec.metadata["env"] for spec in dataclasses.fields(Settings)} | {"OCR_THREADS", "OCR_MODEL_DIR"}
    names = set(template["Globals"]["Function"]["Environment"]["Variables"])
    for function in resources(template, "AWS::Serverless::Function").values():
        names |= set(function["Properties"].get("Environment", {}).get("Variables", {}))
    assert names <= known
