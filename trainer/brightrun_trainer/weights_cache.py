"""Where the base model's weights are cached.

On RunPod the server mounts the pod's volume disk at /workspace and sets HF_HOME to
/workspace/huggingface: the volume survives a stop, so a bid-resumed spot pod finds the weights
there instead of downloading them again. A volume the trainer's user cannot write to (RunPod mounts
volumes as root) must not fail the job: the cache falls back to the home directory, and says so.
The Hugging Face token for gated models comes from the HF_TOKEN environment variable, which
huggingface_hub reads itself; it is never printed.
"""

from __future__ import annotations

import os
from pathlib import Path


def hub_cache_dir() -> tuple[str | None, str | None]:
    """(cache_dir for from_pretrained or None for the library default, a warning or None)."""
    home = os.environ.get("HF_HOME")
    if not home:
        return None, None
    hub = Path(home) / "hub"
    try:
        hub.mkdir(parents=True, exist_ok=True)
        probe = hub / ".brightrun-write-test"
        probe.write_text("ok")
        probe.unlink()
        return str(hub), None
    except OSError as error:
        fallback = Path.home() / ".cache" / "huggingface" / "hub"
        fallback.mkdir(parents=True, exist_ok=True)
        return str(fallback), (
            f"HF_HOME {home} is not writable ({error.strerror}); caching the base model in {fallback}, "
            "which a pod restart loses"
        )
