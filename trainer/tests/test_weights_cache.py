"""The weights cache: the volume disk when it is writable, the home directory (with a warning) when not."""

from __future__ import annotations

import os
import stat

from brightrun_trainer.weights_cache import hub_cache_dir


def test_no_hf_home_keeps_the_library_default(monkeypatch):
    monkeypatch.delenv("HF_HOME", raising=False)
    assert hub_cache_dir() == (None, None)


def test_a_writable_volume_holds_the_weights(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "workspace" / "huggingface"))
    cache_dir, warning = hub_cache_dir()
    assert cache_dir == str(tmp_path / "workspace" / "huggingface" / "hub")
    assert warning is None
    assert os.listdir(cache_dir) == []  # the write probe is removed


def test_an_unwritable_volume_falls_back_to_home_and_says_so(monkeypatch, tmp_path):
    if os.geteuid() == 0:
        import pytest

        pytest.skip("root can write anywhere")
    volume = tmp_path / "workspace"
    volume.mkdir()
    volume.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("HF_HOME", str(volume / "huggingface"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    try:
        cache_dir, warning = hub_cache_dir()
    finally:
        volume.chmod(stat.S_IRWXU)
    assert cache_dir == str(tmp_path / "home" / ".cache" / "huggingface" / "hub")
    assert warning and "not writable" in warning and "restart loses" in warning
