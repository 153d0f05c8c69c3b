"""Where checkpoints become durable, and how they come back on resume.

A checkpoint is the folder HF Trainer writes (adapter weights, optimizer, scheduler, RNG states,
trainer state). It only counts once *committed*: locally, `latest.json` is replaced atomically
after the folder is complete; remotely, every file is PUT to its signed URL and then the
checkpoint is committed. An interrupted upload is never committed, so it is never the latest.

Remote uploads run in the background (`commit_async`): training goes on while the files travel.
The next checkpoint waits for the previous upload before it is written (so the folder being sent
is never rotated away under it), the end of training waits for the last one, and a SIGTERM gives
the upload in flight a bounded moment to finish and commit (`drain`).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path, PurePosixPath

from .api.graphql import ApiError, AuthError, BadRequestError, JobTerminalError
from .api.transfer import describe_file, download, upload
from .config import ResumeRef
from .errors import DownloadError, UploadError

LATEST = "latest.json"


def checkpoint_files(folder: Path) -> list[tuple[str, Path]]:
    return sorted((path.relative_to(folder).as_posix(), path) for path in folder.rglob("*") if path.is_file())


class LocalCheckpointStore:
    def __init__(self, root: Path):
        self.root = root

    def commit(self, step: int, folder: Path) -> bool:
        marker = self.root / LATEST
        temporary = marker.with_suffix(".tmp")
        temporary.write_text(json.dumps({"step": step, "folder": folder.name}))
        os.replace(temporary, marker)
        return True

    def commit_async(self, step: int, folder: Path) -> None:
        self.commit(step, folder)  # a local rename: nothing to wait for

    def wait(self, timeout: float | None = None) -> bool:
        return True

    def drain(self, timeout: float) -> bool:
        return True

    def latest(self) -> Path | None:
        marker = self.root / LATEST
        if not marker.exists():
            return None
        folder = self.root / json.loads(marker.read_text())["folder"]
        return folder if folder.is_dir() else None


class RemoteCheckpointStore:
    def __init__(self, api, reporter, log=print):
        self.api = api
        self.reporter = reporter
        self.log = log
        self.committed: list[int] = []
        self._worker: threading.Thread | None = None
        self._error: BaseException | None = None
        self.in_flight: int | None = None  # the step being uploaded in the background

    def commit_async(self, step: int, folder: Path) -> None:
        """Upload and commit on a worker thread; the previous upload is finished first."""
        self.wait()

        def work():
            try:
                self.commit(step, folder)
            except BaseException as exc:  # JobTerminalError, AuthError: the training thread re-raises it
                self._error = exc
            finally:
                self.in_flight = None

        self.in_flight = step
        self._worker = threading.Thread(target=work, name=f"checkpoint-upload-{step}", daemon=True)
        self._worker.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Until the upload in flight is committed or given up (True), or `timeout` passes (False).
        Re-raises, once, what stopped the upload for good (the job ended, the token was refused)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
            if worker.is_alive():
                return False
            self._worker = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return True

    def drain(self, timeout: float) -> bool:
        """For SIGTERM: give the upload in flight up to `timeout` to finish; never raises."""
        try:
            return self.wait(timeout)
        except BaseException:
            return True

    def commit(self, step: int, folder: Path) -> bool:
        files = checkpoint_files(folder)
        try:
            described = [describe_file(path, name) for name, path in files]
            answer = self.api.request_checkpoint_upload(step, described)
            targets = {item["name"]: item for item in answer["uploads"]}
            for name, path in files:
                target = targets.get(name)
                if target is None:
                    raise UploadError(f"the server gave no upload URL for {name}")
                headers = {h["name"]: h["value"] for h in target.get("headers") or []}
                upload(path, target["url"], method=target.get("method") or "PUT", headers=headers)
            self.api.commit_checkpoint(answer["checkpointId"])
        except (JobTerminalError, AuthError):
            raise
        except BadRequestError as exc:
            if exc.code == "CHECKPOINT_EXISTS":  # this step is already durable (a redone step)
                return True
            self.reporter.event("WARNING", "checkpoint_upload_failed",
                                f"Checkpoint at step {step} was not saved ({exc}); training goes on.")
            return False
        except (ApiError, UploadError, OSError, KeyError) as exc:
            self.reporter.event("WARNING", "checkpoint_upload_failed",
                                f"Checkpoint at step {step} was not saved ({exc}); training goes on.")
            return False
        self.committed.append(step)
        self.log(f"checkpoint at step {step} committed ({len(files)} files)")
        return True


def download_checkpoint(resume: ResumeRef, dest: Path) -> Path:
    """Fetch a committed checkpoint's files into `dest` (a `checkpoint-<step>` folder)."""
    folder = dest / f"checkpoint-{resume.step}"
    for remote in resume.files:
        relative = PurePosixPath(remote.name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise DownloadError(f"Refusing checkpoint file name {remote.name!r}: it must be a relative path.")
        download(remote.url, folder.joinpath(*relative.parts), sha256=remote.sha256, size_bytes=remote.size_bytes,
                 what=f"checkpoint file {remote.name}")
    if not (folder / "trainer_state.json").exists():
        raise DownloadError(f"Checkpoint {resume.checkpoint_id} has no trainer_state.json; it cannot be resumed.")
    return folder
