#!/usr/bin/env python3
"""A random-weight Q1_0 decoder of Bonsai-1.7B's shape, for `franca bench` (never committed: ~240 MB).

Usage: bonsai_shape_q1_0.py OUT.gguf [--layers 28]   (prints {"path", "bytes"} as one JSON line)

Shape (Qwen3-1.7B, which Bonsai-1.7B quantizes end to end to Q1_0; FORMATS.md §3): `qwen3` architecture, 2048
hidden, 28 layers, 16 query heads and 8 KV heads of 128, 6144 feed-forward, a tied 151,936-row embedding/head.
Every 2-D weight is Q1_0 (ggml type 41: fp16 d + 16 bytes of sign bits per 128 weights), norms are F32 ones.
Weights are random sign bits with d ≈ mean|N(0, 1/n_in)| per block, so activations stay finite through the 28
layers; the output is meaningless and only speed is measured. Deterministic (numpy seed 41): the same file every run.
The tokenizer is byte-level BPE (256 byte tokens, 8 merges, 3 specials), padded with unused tokens to the real vocabulary size.
"""
import argparse
import json
import os
import sys

import numpy as np
from gguf import GGUFWriter, GGMLQuantizationType as T

HIDDEN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, FFN, VOCAB = 2048, 28, 16, 8, 128, 6144, 151936
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def q1_0(rng, rows, cols):
    """Random Q1_0 rows: (rows, cols / 128 * 18) bytes."""
    blocks = rows * cols // 128
    sigma = 1.0 / np.sqrt(cols)
    d = (sigma * np.sqrt(2 / np.pi) * (1 + 0.1 * rng.standard_normal(blocks))).astype(np.float16)
    bits = rng.integers(0, 256, size=(blocks, 16), dtype=np.uint8)
    raw = np.concatenate([d.view(np.uint8).reshape(blocks, 2), bits], axis=1)
    return raw.reshape(rows, cols // 128 * 18)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--layers", type=int, default=LAYERS)
    a = ap.parse_args()
    rng = np.random.default_rng(41)
    b2u = bytes_to_unicode()
    merges = ["Ġ t", "h e", "Ġt he", "Ġ a", "i n", "e r", "o n", "Ġ s"]  # llama.cpp refuses a BPE without merges
    tokens = [b2u[b] for b in range(256)] + [m.replace(" ", "") for m in merges] + SPECIALS
    types = [1] * (256 + len(merges)) + [3] * len(SPECIALS)
    tokens += [f"<|unused_{i}|>" for i in range(VOCAB - len(tokens))]
    types += [5] * (VOCAB - len(types))

    tmp = a.out + ".part"
    w = GGUFWriter(tmp, arch="qwen3")
    w.add_name("franca-bench-bonsai-1.7b-shape-q1_0")
    w.add_context_length(4096)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(a.layers)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_key_length(HEAD_DIM)
    w.add_value_length(HEAD_DIM)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1e6)
    w.add_file_type(40)  # LLAMA_FTYPE_MOSTLY_Q1_0
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(tokens.index("<|endoftext|>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_add_bos_token(False)

    def matrix(name, rows, cols):
        w.add_tensor(name, q1_0(rng, rows, cols), raw_dtype=T.Q1_0)

    ones = lambda n: np.ones(n, dtype=np.float32)  # noqa: E731
    matrix("token_embd.weight", VOCAB, HIDDEN)
    for il in range(a.layers):
        p = f"blk.{il}."
        w.add_tensor(p + "attn_norm.weight", ones(HIDDEN))
        matrix(p + "attn_q.weight", HEADS * HEAD_DIM, HIDDEN)
        matrix(p + "attn_k.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        matrix(p + "attn_v.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        matrix(p + "attn_output.weight", HIDDEN, HEADS * HEAD_DIM)
        w.add_tensor(p + "attn_q_norm.weight", ones(HEAD_DIM))
        w.add_tensor(p + "attn_k_norm.weight", ones(HEAD_DIM))
        w.add_tensor(p + "ffn_norm.weight", ones(HIDDEN))
        matrix(p + "ffn_gate.weight", FFN, HIDDEN)
        matrix(p + "ffn_up.weight", FFN, HIDDEN)
        matrix(p + "ffn_down.weight", HIDDEN, FFN)
    w.add_tensor("output_norm.weight", ones(HIDDEN))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(tmp, a.out)
    print(json.dumps({"path": a.out, "bytes": os.path.getsize(a.out)}))


if __name__ == "__main__":
    sys.exit(main())
