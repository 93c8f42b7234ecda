"""Reads a Winnow shard set the way each trainer does, with numpy only, and prints its documents as JSON.

Usage: read_shards.py MANIFEST  ->  {"format": ..., "dtype": ..., "shards": [[[ids...], ...], ...]}

Megatron: mirrors megatron/core/datasets/indexed_dataset.py _IndexReader (header, version, dtype code, sequence
and document counts, int32 lengths, int64 pointers, int64 document indices) and checks pointers = running sum
of lengths x item size, document indices = 0..sequence count, .bin size = tokens x item size.
llm.c: dev/data/data_common.py header [magic, version, N] (20240520/1 uint16, 20240801/7 uint32), size check;
documents start at each EOT (the manifest's bos_id).
datatrove: .ds tokens, .ds.index uint64 cumulative ends, .ds.metadata `tokenizer|token_size`; also reads
seq_len + 1 windows at stride seq_len as nanotron's DatatroveFolderDataset does and checks them.
memmap: raw tokens (np.memmap) and the .csv `start,end` offsets.
Any structural mismatch raises (non-zero exit).
"""
import json, os, struct, sys
import numpy as np

MEGATRON_DTYPES = {1: np.uint8, 2: np.int8, 3: np.int16, 4: np.int32, 5: np.int64, 6: np.float64, 7: np.float32, 8: np.uint16}


def megatron(prefix):
    with open(prefix + ".idx", "rb") as f:
        assert f.read(9) == b"MMIDIDX\x00\x00", "bad magic"
        assert struct.unpack("<Q", f.read(8)) == (1,), "bad version"
        (code,) = struct.unpack("<B", f.read(1))
        dtype = MEGATRON_DTYPES[code]
        (sequence_count,) = struct.unpack("<Q", f.read(8))
        (document_count,) = struct.unpack("<Q", f.read(8))
        offset = f.tell()
    buf = memoryview(np.memmap(prefix + ".idx", mode="r", order="C"))
    lengths = np.frombuffer(buf, dtype=np.int32, count=sequence_count, offset=offset)
    pointers = np.frombuffer(buf, dtype=np.int64, count=sequence_count, offset=offset + lengths.nbytes)
    document_indices = np.frombuffer(buf, dtype=np.int64, count=document_count,
                                     offset=offset + lengths.nbytes + pointers.nbytes)
    assert offset + lengths.nbytes + pointers.nbytes + document_indices.nbytes == os.path.getsize(prefix + ".idx")
    item = np.dtype(dtype).itemsize
    expected = np.concatenate([[0], np.cumsum(lengths.astype(np.int64))[:-1]]) * item if sequence_count else np.array([], np.int64)
    assert np.array_equal(pointers, expected), "pointers are not the running sum of lengths x item size"
    assert np.array_equal(document_indices, np.arange(sequence_count + 1)), "document indices are not 0..n"
    assert os.path.getsize(prefix + ".bin") == int(lengths.sum()) * item, ".bin size does not match"
    data = np.memmap(prefix + ".bin", dtype=dtype, mode="r")
    docs = [data[p // item: p // item + n].tolist() for p, n in zip(pointers.tolist(), lengths.tolist())]
    return np.dtype(dtype).name, docs


def llmc(path, eot):
    header = np.fromfile(path, dtype=np.int32, count=256)
    if header[0] == 20240520:
        assert header[1] == 1; dtype = np.uint16
    elif header[0] == 20240801:
        assert header[1] == 7; dtype = np.uint32
    else:
        raise AssertionError("bad llm.c magic %d" % header[0])
    n = int(header[2])
    assert os.path.getsize(path) == 256 * 4 + n * np.dtype(dtype).itemsize, "llm.c size does not match the header"
    with open(path, "rb") as f:
        f.seek(256 * 4)
        tokens = np.frombuffer(f.read(), dtype=dtype)
    assert len(tokens) == n
    starts = [i for i, t in enumerate(tokens.tolist()) if t == eot]
    assert n == 0 or starts[0] == 0, "an llm.c shard must start with EOT"
    return np.dtype(dtype).name, [tokens[s:e].tolist() for s, e in zip(starts, starts[1:] + [n])]


def datatrove(path, seq_len=16):
    name, token_size = open(path + ".metadata").read().split("\n")[0].rsplit("|", 1)
    dtype = np.uint16 if int(token_size) == 2 else np.uint32
    ends = np.fromfile(path + ".index", dtype=np.uint64).tolist()
    tokens = np.fromfile(path, dtype=dtype)
    assert (ends[-1] if ends else 0) == len(tokens), "the last document end is not the token count"
    assert int(open(path + ".metadata").read().split("\n")[1]) == len(tokens)
    # nanotron's DatatroveFileDataset: sample i is seq_len + 1 tokens from i * seq_len.
    with open(path, "rb") as f:
        for i in range((len(tokens) - 1) // seq_len):
            f.seek(i * seq_len * int(token_size))
            window = np.frombuffer(f.read((seq_len + 1) * int(token_size)), dtype=dtype)
            assert len(window) == seq_len + 1 and np.array_equal(window, tokens[i * seq_len: i * seq_len + seq_len + 1])
    starts = [0] + ends[:-1]
    return np.dtype(dtype).name, [tokens[s:e].tolist() for s, e in zip(starts, ends)]


def memmap(path, dtype):
    tokens = np.memmap(path, dtype=np.dtype(dtype), mode="r") if os.path.getsize(path) else np.array([], dtype)
    rows = [tuple(map(int, line.split(","))) for line in open(path[:-4] + ".csv").read().split("\n") if line]
    assert (rows[-1][1] if rows else 0) == len(tokens)
    return np.dtype(dtype).name, [tokens[s:e].tolist() for s, e in rows]


manifest_path = sys.argv[1]
directory = os.path.dirname(manifest_path)
manifest = json.load(open(manifest_path))
shards = []
for shard in manifest["shards"]:
    data = os.path.join(directory, shard["files"][0]["path"])
    if manifest["format"] == "megatron":
        dtype, docs = megatron(data[:-4])
    elif manifest["format"] == "llmc":
        dtype, docs = llmc(data, manifest["bos_id"])
    elif manifest["format"] == "datatrove":
        dtype, docs = datatrove(data)
    else:
        dtype, docs = memmap(data, manifest["dtype"])
    assert len(docs) == shard["documents"] and sum(map(len, docs)) == shard["tokens"]
    shards.append(docs)
print(json.dumps({"format": manifest["format"], "dtype": dtype, "files": [s["files"][0]["path"] for s in manifest["shards"]],
                  "roles": [s["role"] for s in manifest["shards"]], "shards": shards}))
