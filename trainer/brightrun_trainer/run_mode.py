"""`run` mode: the pod's entry point. Job spec in, metrics and checkpoints out, then complete or fail.

Exit status: 0 completed, cancelled or already terminal; 1 failed (and reported); 2 missing
environment; 3 token refused; 143 SIGTERM (a spot interruption: the server resumes the job
from its latest committed checkpoint).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

from .api.graphql import ApiError, AuthError, GraphQLClient, JobTerminalError
from .api.reporter import Reporter
from .api.server import TrainerApi
from .config import JobSpec
from .errors import TrainerFailure, UploadError, failure_from_exception

REQUIRED_ENV = ("BRIGHTRUN_API_URL", "BRIGHTRUN_JOB_ID", "BRIGHTRUN_JOB_TOKEN")
SIGTERM_FLUSH_SECONDS = 2.0  # a spot pod gets ~5 s between SIGTERM and SIGKILL
SIGTERM_UPLOAD_SECONDS = 1.5  # of those, for a checkpoint upload in flight to finish and commit
EXIT_FAILED, EXIT_USAGE, EXIT_AUTH, EXIT_SIGTERM = 1, 2, 3, 143


def log(message: str) -> None:
    print(f"brightrun-trainer: {message}", file=sys.stderr, flush=True)


def main_run(env) -> int:
    missing = [name for name in REQUIRED_ENV if not env.get(name)]
    if missing:
        log(f"error: environment variable {missing[0]} is not set "
            f"(run mode needs {', '.join(REQUIRED_ENV)}; for offline training use the `local` command)")
        return EXIT_USAGE
    url, job_id, token = (env[name] for name in REQUIRED_ENV)
    api = TrainerApi(GraphQLClient(url, token, timeout=float(env.get("BRIGHTRUN_HTTP_TIMEOUT", 30))), job_id)
    work_dir = Path(env.get("BRIGHTRUN_WORK_DIR") or Path(tempfile.gettempdir()) / f"brightrun-{job_id}")

    try:
        spec = JobSpec.from_graphql(api.job())
    except AuthError as exc:
        log(f"error: the server refused the job token: {exc}")
        return EXIT_AUTH
    except JobTerminalError:
        log("the job is already finished or cancelled; nothing to do")
        return 0
    except ApiError as exc:
        log(f"error: cannot read the job spec: {exc}")
        return EXIT_FAILED
    except TrainerFailure as exc:
        return _fail(api, None, exc)

    report_api = TrainerApi(GraphQLClient(url, token, timeout=10.0), job_id)
    reporter = Reporter(report_api.report_once, log=log).start()
    from .checkpoints import RemoteCheckpointStore

    store = RemoteCheckpointStore(api, reporter, log=log)
    _install_sigterm(reporter, store)
    return _train(spec, api, reporter, work_dir, store)


def _train(spec: JobSpec, api: TrainerApi, reporter: Reporter, work_dir: Path, store) -> int:
    from .api.transfer import describe_file, download, upload
    from .checkpoints import download_checkpoint
    from .training import PipelineInputs, run_pipeline

    hp = spec.hyperparameters
    try:
        reporter.stage("PREPROCESSING", "Downloading dataset")
        suffix = ".jsonl" if spec.dataset.encoding == "JSONL" else ".json"
        dataset_path = download(spec.dataset.url, work_dir / f"dataset{suffix}", sha256=spec.dataset.sha256,
                                size_bytes=spec.dataset.size_bytes, what="dataset")
        reporter.substatus("Dataset sha256 verified" if spec.dataset.sha256 else "Dataset downloaded")

        def resume():
            if spec.resume_from is None:
                return None
            reporter.substatus(f"Downloading checkpoint at step {spec.resume_from.step}")
            return download_checkpoint(spec.resume_from, work_dir / "resume")

        result = run_pipeline(PipelineInputs(
            base_model=spec.base_model, hyperparameters=hp, dataset_path=dataset_path,
            dataset_encoding=spec.dataset.encoding, output_dir=_fresh(work_dir / "output"),
            checkpoint_dir=work_dir / "checkpoints", store=store,
            reporter=reporter, resume=resume, save_total_limit=1))

        if reporter.fatal_error is not None:
            log(f"stopping: {reporter.fatal_error}")
            return EXIT_AUTH
        if result.stopped_early or reporter.job_terminal.is_set():
            log("stopped: the server asked to cancel the job")
            reporter.event("INFO", "cancelled", f"Training stopped at step {result.global_step} on request.")
            reporter.close(10)
            return 0

        reporter.substatus("Computing checksums")
        described = [describe_file(path, path.name) for path in result.files]
        reporter.substatus("Uploading adapter")
        answer = api.request_artifact_upload(described)
        targets = {item["name"]: item for item in answer["uploads"]}
        for path in result.files:
            target = targets.get(path.name)
            if target is None:
                raise UploadError(f"The server gave no upload URL for {path.name}.")
            headers = {h["name"]: h["value"] for h in target.get("headers") or []}
            upload(path, target["url"], method=target.get("method") or "PUT", headers=headers)
        # Every metric must be in before completion: after it the job is terminal.
        reporter.flush(60)
        artifact = api.complete({**result.summary, "files": described})
        reporter.close(5)
        log(f"completed: artifact {artifact.get('name')} v{artifact.get('version')} "
            f"({result.global_step} steps, {result.steps_per_second:.2f} steps/s)")
        return 0
    except JobTerminalError:
        log("the job became terminal on the server; stopping quietly")
        reporter.close(2)
        return 0
    except AuthError as exc:
        log(f"error: the server refused the job token: {exc}")
        return EXIT_AUTH
    except Exception as exc:
        return _fail(api, reporter, exc)


def _fail(api: TrainerApi, reporter: Reporter | None, exc: BaseException) -> int:
    code, message, detail = failure_from_exception(exc)
    log(f"failed ({code}): {message}")
    if reporter is not None:
        reporter.event("ERROR", code.lower(), message)
        reporter.close(10)
    try:
        api.fail(code, message, detail)
    except JobTerminalError:
        pass
    except ApiError as report_error:
        log(f"could not report the failure to the server: {report_error}")
    return EXIT_FAILED


def _install_sigterm(reporter: Reporter, store) -> None:
    def on_sigterm(signum, frame):
        # Whatever the main thread was doing (a step) is abandoned. A checkpoint upload in flight
        # gets a moment to finish and commit; one that does not is never committed, so the latest
        # committed checkpoint is always whole.
        try:
            log("SIGTERM: flushing the checkpoint upload in flight and the metrics, then exiting")
            in_flight = getattr(store, "in_flight", None)
            reporter.event("WARNING", "sigterm", "The pod received SIGTERM (spot interruption?); "
                           "work since the last committed checkpoint will be redone.")
            if in_flight is not None and not store.drain(SIGTERM_UPLOAD_SECONDS):
                log(f"SIGTERM: the upload of checkpoint {in_flight} did not finish; it is not committed")
            reporter.close(SIGTERM_FLUSH_SECONDS)
        finally:
            os._exit(EXIT_SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)


def _fresh(folder: Path) -> Path:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
