"""Moving files through signed URLs: GET to download (sha256-verified), PUT to upload."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import DownloadError, UploadError
from .graphql import USER_AGENT, backoff_delay

CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe_file(path: Path, name: str) -> dict:
    """The contract's TrainerFileInput for one file."""
    return {"name": name, "sizeBytes": float(path.stat().st_size), "sha256": sha256_file(path)}


def download(url: str, dest: Path, *, sha256: str | None = None, size_bytes: int | None = None,
             attempts: int = 4, timeout: float = 60.0, what: str = "file") -> Path:
    """GET `url` into `dest` (via a .part file), retrying; the checksum must match when given."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".part")
    last_error = ""
    for attempt in range(1, attempts + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            digest = hashlib.sha256()
            with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as out:
                for chunk in iter(lambda: response.read(CHUNK), b""):
                    digest.update(chunk)
                    out.write(chunk)
            size = partial.stat().st_size
            if size_bytes is not None and size != size_bytes:
                last_error = f"{what}: expected {size_bytes} bytes, received {size}"
            elif sha256 and digest.hexdigest() != sha256.lower():
                last_error = f"{what}: sha256 {digest.hexdigest()} does not match the expected {sha256}"
            else:
                os.replace(partial, dest)
                return dest
        except urllib.error.HTTPError as exc:
            last_error = f"{what}: HTTP {exc.code} from the storage"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                break  # an expired or wrong signed URL will not get better
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last_error = f"{what}: {exc}"
        if attempt < attempts:
            time.sleep(backoff_delay(attempt))
    partial.unlink(missing_ok=True)
    raise DownloadError(f"Could not download the {last_error}")


def upload(path: Path, url: str, *, method: str = "PUT", headers: dict | None = None, attempts: int = 4,
           timeout: float = 300.0) -> None:
    """Send the raw bytes of `path` to a signed URL, retrying transient failures."""
    size = path.stat().st_size
    last_error = ""
    for attempt in range(1, attempts + 1):
        try:
            with open(path, "rb") as body:
                request = urllib.request.Request(url, data=body, method=method, headers={
                    "Content-Type": "application/octet-stream", "User-Agent": USER_AGENT,
                    **(headers or {}), "Content-Length": str(size)})
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    response.read()
            return
        except urllib.error.HTTPError as exc:
            last_error = f"HTTP {exc.code}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                break
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last_error = str(exc)
        if attempt < attempts:
            time.sleep(backoff_delay(attempt))
    raise UploadError(f"Could not upload {path.name}: {last_error}")
