"""Failures the trainer reports to the server, each with the contract's failure code.

Anything else that escapes is reported as INTERNAL; CUDA out-of-memory is recognised where it
is caught (see `failure_from_exception`) because torch is imported lazily.
"""

from __future__ import annotations

import traceback


class TrainerFailure(Exception):
    """An expected failure: the job cannot go on, and the server is told why."""

    code = "INTERNAL"

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadDataError(TrainerFailure):
    code = "BAD_DATA"


class DownloadError(TrainerFailure):
    code = "DOWNLOAD_FAILED"


class UploadError(TrainerFailure):
    code = "UPLOAD_FAILED"


class ConfigError(TrainerFailure):
    """A job spec or command-line value the trainer cannot use."""

    code = "BAD_DATA"


def failure_from_exception(exc: BaseException) -> tuple[str, str, str | None]:
    """Map any exception to (code, message, detail) for `trainerFail`."""
    if isinstance(exc, TrainerFailure):
        return exc.code, exc.message, exc.detail
    if _is_cuda_oom(exc):
        return (
            "OUT_OF_MEMORY",
            "The GPU ran out of memory. Lower batchSize or maxSequenceLength, use quantization NF4, "
            "or enable gradientCheckpointing.",
            _short(str(exc)),
        )
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return "INTERNAL", f"{type(exc).__name__}: {_short(str(exc), 500)}", _short(detail, 8000)


def _is_cuda_oom(exc: BaseException) -> bool:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is always installed with the trainer
        return False
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return True
    return isinstance(exc, RuntimeError) and "CUDA out of memory" in str(exc)


def _short(text: str, limit: int = 2000) -> str:
    return text if len(text) <= limit else text[: limit - 20] + "\n…(truncated)"
