"""FsspecValueStore: redun's ValueStore layout and interface on fsspec filesystems."""

import os
import uuid

import pytest
from redun.backends.value_store import ValueStore

from graphbackend.backend.value_store import FsspecValueStore

HASH = "abcdef0123456789abcdef0123456789abcdef01"


@pytest.fixture(params=["local", "memory"])
def store(request, tmp_path):
    if request.param == "local":
        return FsspecValueStore(str(tmp_path / "values"))
    return FsspecValueStore(f"memory://graphbackend-test-{uuid.uuid4().hex}/values")


def test_layout_matches_redun(tmp_path):
    root = str(tmp_path / "values")
    ours = FsspecValueStore(root)
    theirs = ValueStore(root)
    assert ours.get_value_path(HASH) == theirs.get_value_path(HASH)
    assert ours.get_value_path(HASH) == os.path.join(root, "ab", HASH[2:])
    flat = FsspecValueStore(root, use_subdir=False)
    assert flat.get_value_path(HASH) == ValueStore(root, use_subdir=False).get_value_path(HASH)


def test_round_trip(store):
    assert not store.has(HASH)
    assert store.get(HASH) == (b"", False)
    assert store.size(HASH) == -1
    store.put(HASH, b"hello bytes")
    assert store.has(HASH)
    assert store.get(HASH) == (b"hello bytes", True)
    assert store.size(HASH) == len(b"hello bytes")


def test_put_is_a_no_op_when_present(store):
    store.put(HASH, b"first")
    store.put(HASH, b"second")
    assert store.get(HASH) == (b"first", True)


def test_redun_reads_what_we_write_and_back(tmp_path):
    root = str(tmp_path / "values")
    FsspecValueStore(root).put(HASH, b"ours")
    assert ValueStore(root).get(HASH) == (b"ours", True)
    other = "ff" + HASH[2:]
    ValueStore(root).put(other, b"theirs")
    assert FsspecValueStore(root).get(other) == (b"theirs", True)


def test_local_write_leaves_no_temporary_files(tmp_path):
    root = tmp_path / "values"
    store = FsspecValueStore(str(root))
    store.put(HASH, b"x" * 10000)
    assert sorted(os.listdir(root / "ab")) == [HASH[2:]]


def test_memory_url_layout():
    name = f"graphbackend-test-{uuid.uuid4().hex}"
    store = FsspecValueStore(f"memory://{name}")
    store.put(HASH, b"data")
    assert store.get_value_path(HASH) == f"memory://{name}/ab/{HASH[2:]}"
    import fsspec

    fs = fsspec.filesystem("memory")
    assert fs.cat_file(f"/{name}/ab/{HASH[2:]}") == b"data"
