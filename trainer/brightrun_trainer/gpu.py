"""GPU utilisation and memory through NVML when CUDA is present; nothing otherwise."""

from __future__ import annotations

GIB = 1024**3


class GpuSampler:
    def __init__(self) -> None:
        self._handle = None
        self._nvml = None
        self._torch_cuda = False
        try:
            import torch

            self._torch_cuda = torch.cuda.is_available()
        except ImportError:  # pragma: no cover
            return
        if not self._torch_cuda:
            return
        try:
            import pynvml  # from nvidia-ml-py (requirements-cuda.txt)

            pynvml.nvmlInit()
            self._handle = pynvml.nvmlDeviceGetHandleByIndex(_physical_index())
            self._nvml = pynvml
        except Exception:
            self._handle = None

    def sample(self) -> dict:
        """{'gpuUtilization': percent, 'gpuMemoryGb': GiB in use}, or {} without CUDA."""
        if self._handle is not None:
            try:
                utilization = self._nvml.nvmlDeviceGetUtilizationRates(self._handle).gpu
                memory = self._nvml.nvmlDeviceGetMemoryInfo(self._handle).used
                return {"gpuUtilization": float(utilization), "gpuMemoryGb": memory / GIB}
            except Exception:
                pass
        if self._torch_cuda:
            import torch

            return {"gpuMemoryGb": torch.cuda.memory_reserved() / GIB}
        return {}


def _physical_index() -> int:
    """NVML numbers all GPUs; CUDA numbers the visible ones."""
    import os

    import torch

    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "")
    current = torch.cuda.current_device()
    entries = [entry.strip() for entry in visible.split(",") if entry.strip()]
    if current < len(entries) and entries[current].isdigit():
        return int(entries[current])
    return current
