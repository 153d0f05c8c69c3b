"""A fake BrightRun API for the tests: the trainer contract (CONTRACT.md) plus signed-URL storage.

It runs `http.server` in a thread on 127.0.0.1 and records everything it receives. Metrics are
upserted by (split, step) like the real server; `metric_receipts` keeps every point received,
so tests can tell resends from losses. Behaviour can be scripted per test (see the attributes).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPERATIONS = ("trainerJob", "trainerReport", "trainerRequestCheckpointUpload", "trainerCommitCheckpoint",
              "trainerRequestArtifactUpload", "trainerComplete", "trainerFail")
STAGES = ("PREPROCESSING", "MODEL_LOADING", "TRAINING", "FINALIZING")
FAILURE_CODES = ("OUT_OF_MEMORY", "BAD_DATA", "DOWNLOAD_FAILED", "UPLOAD_FAILED", "INTERNAL")


class FakeBrightRun:
    def __init__(self, job_id: str = "job-1", token: str = "secret-token"):
        self.job_id = job_id
        self.token = token
        self.lock = threading.RLock()
        self.job: dict = {}
        self.blobs: dict[str, bytes] = {}  # storage key → bytes (what signed URLs read and write)
        # Recorded traffic.
        self.requests: list[str] = []  # operation names in arrival order
        self.reports: list[dict] = []
        self.metrics: dict[tuple[str, int], dict] = {}
        self.metric_receipts: list[tuple[str, int]] = []
        self.events: list[dict] = []
        self.stages: list[str] = []
        self.checkpoints: dict[str, dict] = {}
        self.artifact_uploads: dict[str, str] = {}  # file name → storage key
        self.completion: dict | None = None
        self.failure: dict | None = None
        self.puts_started: list[str] = []
        # Scripted behaviour.
        self.report_script: list[str] = []  # per trainerReport call: "ok", "500", "slow" (stores, answers late)
        self.slow_seconds = 2.0
        self.cancel_after_train_step: int | None = None
        self.hang_put_names: set[str] = set()  # checkpoint file names whose PUT never finishes
        self.hang_put_after_step: int = 0
        self.fail_put_names: set[str] = set()  # file names whose PUT answers 500
        self.slow_put_names: set[str] = set()  # checkpoint file names whose PUT answers after slow_put_seconds
        self.slow_put_seconds = 1.0
        self.forced_errors: dict[str, str] = {}  # operation → GraphQL error code it answers with
        self.terminal = False
        self._server: ThreadingHTTPServer | None = None

    # ---- lifecycle ----

    def __enter__(self):
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def graphql_url(self) -> str:
        """The trainer's own endpoint, as the server gives it to pods (the only path this fake answers)."""
        return self.base_url + "/trainer/graphql"

    def put_blob(self, data: bytes) -> tuple[str, str]:
        """Store bytes; return (signed GET URL, sha256)."""
        key = uuid.uuid4().hex
        self.blobs[key] = data
        return f"{self.base_url}/storage/{key}?signature=ok", hashlib.sha256(data).hexdigest()

    def env(self) -> dict:
        return {"BRIGHTRUN_API_URL": self.graphql_url, "BRIGHTRUN_JOB_ID": self.job_id,
                "BRIGHTRUN_JOB_TOKEN": self.token}

    def committed_checkpoints(self) -> list[dict]:
        return sorted((c for c in self.checkpoints.values() if c["committed"]), key=lambda c: c["step"])

    def resume_spec(self, checkpoint: dict) -> dict:
        files = []
        for name, key in sorted(checkpoint["files"].items()):
            data = self.blobs[key]
            files.append({"name": name, "url": f"{self.base_url}/storage/{key}?signature=ok",
                          "sizeBytes": float(len(data)), "sha256": hashlib.sha256(data).hexdigest()})
        return {"checkpointId": checkpoint["id"], "step": checkpoint["step"], "files": files}

    # ---- GraphQL resolvers ----

    def graphql(self, body: dict) -> tuple[int, dict]:
        query, variables = body.get("query", ""), body.get("variables") or {}
        operation = next((op for op in OPERATIONS if re.search(rf"\b{op}\s*\(", query)), None)
        if operation is None:
            return 400, _error("unknown operation", "GRAPHQL_VALIDATION_FAILED")
        with self.lock:
            self.requests.append(operation)
        if variables.get("jobId") != self.job_id:
            return 200, _error("no such job", "BAD_USER_INPUT")
        if operation in self.forced_errors:
            return 200, _error(f"forced {self.forced_errors[operation]}", self.forced_errors[operation])
        if self.terminal and operation != "trainerJob":
            return 200, _error("the job is finished", "JOB_TERMINAL")
        return getattr(self, "_" + operation)(variables)

    def _trainerJob(self, variables):
        return 200, {"data": {"trainerJob": self.job}}

    def _trainerReport(self, variables):
        with self.lock:
            action = self.report_script.pop(0) if self.report_script else "ok"
        if action == "500":
            return 500, {"message": "internal error"}
        report = variables["input"]
        problem = _check_report(report)
        if problem:
            return 200, _error(problem, "BAD_USER_INPUT")
        accepted = duplicate = 0
        with self.lock:
            self.reports.append(report)
            if report.get("stage"):
                self.stages.append(report["stage"])
            self.events.extend(report.get("events") or [])
            for point in report.get("metrics") or []:
                key = (point["split"], point["step"])
                self.metric_receipts.append(key)
                if key in self.metrics:
                    duplicate += 1
                else:
                    accepted += 1
                self.metrics[key] = point
            train_steps = [step for split, step in self.metrics if split == "TRAIN"]
            cancel = self.cancel_after_train_step is not None and max(train_steps, default=0) >= \
                self.cancel_after_train_step
        if action == "slow":
            time.sleep(self.slow_seconds)  # the client gives up; the data is stored all the same
        return 200, {"data": {"trainerReport": {"acceptedMetrics": accepted, "duplicateMetrics": duplicate,
                                                "cancelRequested": cancel}}}

    def _uploads(self, files, prefix):
        uploads = []
        for item in files:
            name = item["name"]
            if name.startswith("/") or ".." in name.split("/"):
                return None
            key = f"{prefix}/{name}"
            uploads.append({"name": name, "url": f"{self.base_url}/upload/{key}?signature=ok", "method": "PUT",
                            "headers": [{"name": "x-upsert", "value": "true"}]})
        return uploads

    def _trainerRequestCheckpointUpload(self, variables):
        checkpoint_id = uuid.uuid4().hex[:12]
        uploads = self._uploads(variables["files"], f"checkpoints/{checkpoint_id}")
        if uploads is None:
            return 200, _error("bad file name", "BAD_USER_INPUT")
        with self.lock:
            self.checkpoints[checkpoint_id] = {
                "id": checkpoint_id, "step": variables["step"], "committed": False,
                "declared": {f["name"]: f for f in variables["files"]},
                "files": {f["name"]: f"checkpoints/{checkpoint_id}/{f['name']}" for f in variables["files"]},
            }
        return 200, {"data": {"trainerRequestCheckpointUpload": {"checkpointId": checkpoint_id, "uploads": uploads}}}

    def _trainerCommitCheckpoint(self, variables):
        with self.lock:
            checkpoint = self.checkpoints.get(variables["checkpointId"])
            if checkpoint is None:
                return 200, _error("no such checkpoint", "BAD_USER_INPUT")
            for name, key in checkpoint["files"].items():
                data = self.blobs.get(key)
                declared = checkpoint["declared"][name]
                if data is None or hashlib.sha256(data).hexdigest() != declared["sha256"]:
                    return 200, _error(f"{name} was not uploaded intact", "BAD_USER_INPUT")
            checkpoint["committed"] = True
        return 200, {"data": {"trainerCommitCheckpoint": {"checkpointId": checkpoint["id"],
                                                          "step": checkpoint["step"]}}}

    def _trainerRequestArtifactUpload(self, variables):
        uploads = self._uploads(variables["files"], "artifacts")
        with self.lock:
            for item in variables["files"]:
                self.artifact_uploads[item["name"]] = f"artifacts/{item['name']}"
        return 200, {"data": {"trainerRequestArtifactUpload": {"uploads": uploads}}}

    def _trainerComplete(self, variables):
        summary = variables["summary"]
        for item in summary["files"]:
            data = self.blobs.get(self.artifact_uploads.get(item["name"], ""))
            if data is None or hashlib.sha256(data).hexdigest() != item["sha256"]:
                return 200, _error(f"{item['name']} was not uploaded intact", "BAD_USER_INPUT")
        with self.lock:
            self.completion = summary
            self.terminal = True
        return 200, {"data": {"trainerComplete": {"artifactId": "artifact-1", "name": "adapter", "version": 1}}}

    def _trainerFail(self, variables):
        failure = variables["failure"]
        if failure.get("code") not in FAILURE_CODES or not failure.get("message"):
            return 200, _error("bad failure", "BAD_USER_INPUT")
        with self.lock:
            self.failure = failure
            self.terminal = True
        return 200, {"data": {"trainerFail": {"jobId": self.job_id}}}


def _check_report(report: dict) -> str | None:
    if report.get("stage") is not None and report["stage"] not in STAGES:
        return f"unknown stage {report['stage']}"
    metrics = report.get("metrics") or []
    if len(metrics) > 1000:
        return "more than 1000 metrics in one report"
    for point in metrics:
        if point.get("split") not in ("TRAIN", "EVAL") or not isinstance(point.get("step"), int):
            return "a metric needs split and step"
        for name, value in point.items():
            if name not in ("split", "step") and value is not None and not (
                    isinstance(value, (int, float)) and math.isfinite(value)):
                return f"metric {name} is not a finite number"
    return None


def _error(message: str, code: str) -> dict:
    return {"errors": [{"message": message, "extensions": {"code": code}}], "data": None}


def _handler_for(fake: FakeBrightRun):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output readable
            pass

        def _send(self, status: int, payload: bytes, content_type="application/json"):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_POST(self):
            body = self._body()
            if self.path.split("?")[0] != "/trainer/graphql":
                # Like the real server: the public /graphql does not take job tokens.
                with fake.lock:
                    fake.requests.append(f"refused {self.path}")
                return self._send(401 if self.path.startswith("/graphql") else 404,
                                  json.dumps(_error("job tokens are accepted only at /trainer/graphql",
                                                    "UNAUTHENTICATED")).encode())
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                return self._send(401, json.dumps(_error("invalid job token", "UNAUTHENTICATED")).encode())
            status, payload = fake.graphql(json.loads(body))
            self._send(status, json.dumps(payload).encode())

        def do_GET(self):
            key = self.path.split("?")[0].removeprefix("/storage/")
            data = fake.blobs.get(key)
            if data is None or "signature=ok" not in self.path:
                return self._send(404, b"not found", "text/plain")
            self._send(200, data, "application/octet-stream")

        def do_PUT(self):
            key = self.path.split("?")[0].removeprefix("/upload/")
            name = key.rsplit("/", 1)[-1]
            with fake.lock:
                fake.puts_started.append(key)
                checkpoint = fake.checkpoints.get(key.split("/")[1]) if key.startswith("checkpoints/") else None
            if checkpoint and name in fake.hang_put_names and checkpoint["step"] > fake.hang_put_after_step:
                time.sleep(60)  # the trainer is killed before this answers
                return
            data = self._body()
            if checkpoint and name in fake.slow_put_names:
                time.sleep(fake.slow_put_seconds)
            if name in fake.fail_put_names:
                return self._send(500, b"storage unavailable", "text/plain")
            fake.blobs[key] = data
            self._send(200, b"")

    return Handler
