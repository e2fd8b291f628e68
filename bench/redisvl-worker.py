"""RedisVL side of the deja benchmark: a child process of bench/run.ts, one JSON request per stdin line,
one JSON reply per stdout line. It times RedisVL's own calls (SemanticCache.check, EmbeddingsCache.mget)
on the Redis Stack and with the vectors that the Node side uses, so both are measured alike:
perf_counter_ns around each call, nothing else inside the timed region.

No embedding model is ever loaded: every vector comes precomputed from the files the Node side wrote,
and the vectorizer given to RedisVL refuses to embed anything but its own start-up probe.
"""

import json
import platform
import sys
import time
from importlib.metadata import version

import numpy as np
from redisvl.extensions.cache.embeddings import EmbeddingsCache
from redisvl.extensions.cache.llm import SemanticCache
from redisvl.extensions.cache.llm.schema import CacheEntry, SemanticCacheIndexSchema
from redisvl.extensions.constants import CACHE_VECTOR_FIELD_NAME, ENTRY_ID_FIELD_NAME
from redisvl.index import SearchIndex
from redisvl.utils.vectorize import CustomVectorizer

PROBE = "dimension test"
semantic_caches: dict[str, SemanticCache] = {}
embedding_caches: dict[str, EmbeddingsCache] = {}


def no_embedding_vectorizer(dims: int) -> CustomVectorizer:
    """RedisVL needs a vectorizer to know the dimension; this one only answers its own probe."""

    def embed(text, **_):
        if text != PROBE:
            raise RuntimeError("the benchmark passes precomputed vectors; nothing may be embedded")
        return [0.0] * dims

    return CustomVectorizer(embed=embed)


def read_rows(path: str, dims: int) -> np.ndarray:
    return np.fromfile(path, dtype="<f4").reshape(-1, dims)


def hello(_request):
    return {
        "python": platform.python_version(),
        "redisvl": version("redisvl"),
        "redis_py": version("redis"),
        "numpy": version("numpy"),
    }


def semantic_create(request):
    """FLAT: a plain SemanticCache (whose schema is FLAT). HNSW: RedisVL's SemanticCache schema with
    the vector field switched to HNSW, over the entries of the FLAT cache (same prefix), then a
    SemanticCache bound to that index (create_index=False) to run check()."""
    name, dims, url = request["name"], request["dims"], request["url"]
    vectorizer = no_embedding_vectorizer(dims)
    if request["algorithm"] == "FLAT":
        cache = SemanticCache(name=name, redis_url=url, vectorizer=vectorizer, distance_threshold=request["distanceThreshold"])
    else:
        schema = SemanticCacheIndexSchema.from_params(name, request["prefixOf"], dims, "float32")
        schema.remove_field(CACHE_VECTOR_FIELD_NAME)
        hnsw = request["hnsw"]
        schema.add_field(
            {
                "name": CACHE_VECTOR_FIELD_NAME,
                "type": "vector",
                "attrs": {
                    "dims": dims,
                    "datatype": "float32",
                    "distance_metric": "cosine",
                    "algorithm": "hnsw",
                    "m": hnsw["m"],
                    "ef_construction": hnsw["efConstruction"],
                    "ef_runtime": hnsw["efRuntime"],
                },
            }
        )
        SearchIndex(schema=schema, redis_url=url).create(overwrite=True, drop=False)
        cache = SemanticCache(
            name=name,
            redis_url=url,
            vectorizer=vectorizer,
            distance_threshold=request["distanceThreshold"],
            create_index=False,
        )
    semantic_caches[name] = cache
    return {"name": name}


def semantic_load(request):
    """Rows [start, end) of the vector file as entries, written like SemanticCache.store writes one
    (CacheEntry -> index.load), pipelined in batches because loading is not what is measured."""
    cache = semantic_caches[request["name"]]
    rows = read_rows(request["vectorsPath"], request["dims"])
    response = request["response"]
    started = time.perf_counter()
    batch = []
    for i in range(request["start"], request["end"]):
        entry = CacheEntry(
            entry_id=f"e{i}",
            prompt=f"{request['promptPrefix']}{i}",
            response=response,
            prompt_vector=rows[i].tolist(),
        )
        batch.append(entry.to_dict("float32"))
        if len(batch) == 1000:
            cache.index.load(data=batch, id_field=ENTRY_ID_FIELD_NAME, batch_size=1000)
            batch = []
    if batch:
        cache.index.load(data=batch, id_field=ENTRY_ID_FIELD_NAME, batch_size=1000)
    return {"seconds": time.perf_counter() - started}


def semantic_check(request):
    """Times SemanticCache.check(vector=...) for each query; says how many hit their target entry."""
    cache = semantic_caches[request["name"]]
    queries = read_rows(request["queriesPath"], request["dims"])
    targets = request["targets"]
    vectors = [queries[i].tolist() for i in request["indices"]]
    times_us = []
    correct = 0
    for vector, i in zip(vectors, request["indices"]):
        started = time.perf_counter_ns()
        hits = cache.check(vector=vector, num_results=1)
        times_us.append((time.perf_counter_ns() - started) / 1000)
        if hits and hits[0]["entry_id"] == f"e{targets[i]}":
            correct += 1
    return {"timesUs": times_us, "correct": correct}


def embeddings_setup(request):
    cache = EmbeddingsCache(name=request["name"], redis_url=request["url"], ttl=request.get("ttl"))
    rows = read_rows(request["vectorsPath"], request["dims"])
    items = [
        {"content": text, "model_name": request["model"], "embedding": rows[i].tolist()}
        for i, text in enumerate(request["texts"])
    ]
    cache.mset(items)
    embedding_caches[request["name"]] = cache
    return {"keys": [cache._make_cache_key(text, request["model"]) for text in request["texts"][:20]]}


def embeddings_mget(request):
    """Times EmbeddingsCache.mget of the whole batch, `rounds` times; all must be hits."""
    cache = embedding_caches[request["name"]]
    texts = request["texts"]
    times_us = []
    for _ in range(request["rounds"]):
        started = time.perf_counter_ns()
        found = cache.mget(texts, request["model"])
        times_us.append((time.perf_counter_ns() - started) / 1000)
        missing = sum(1 for entry in found if entry is None)
        if missing:
            raise RuntimeError(f"{missing} of {len(texts)} embeddings were not cached")
    return {"timesUs": times_us}


def drop(request):
    for name in request["semantic"]:
        cache = semantic_caches.pop(name, None)
        if cache is not None:
            cache.index.delete(drop=request["dropData"])
    for name in request["embeddings"]:
        cache = embedding_caches.pop(name, None)
        if cache is not None:
            cache.clear()
    return {}


OPERATIONS = {
    "hello": hello,
    "semantic.create": semantic_create,
    "semantic.load": semantic_load,
    "semantic.check": semantic_check,
    "embeddings.setup": embeddings_setup,
    "embeddings.mget": embeddings_mget,
    "drop": drop,
}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = {"id": request["id"], "ok": True, "result": OPERATIONS[request["op"]](request)}
        except Exception as error:  # reported to the Node side, which fails the run with it
            reply = {"id": request["id"], "ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
