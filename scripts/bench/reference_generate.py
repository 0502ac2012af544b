#!/usr/bin/env python3
"""llama.cpp (llama-cpp-python) prefill and decode speed on the same tokens Franca measured.

Usage: reference_generate.py MODEL.gguf IDS.json --threads N [--decode 128]
IDS.json holds {"prompt": [ids...]}. Prints one JSON line: prefill and decode tokens/s.
Settings mirror `franca bench generate`: one batch for the prompt (n_batch = prompt length), then greedy
single-token decodes; F32 KV cache and no flash attention like Franca (pass --llama-defaults for llama.cpp's own
defaults: F16 cache, flash attention auto, weight repacking).
"""
import argparse, ctypes, json, sys, time

import llama_cpp as L
import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("ids")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--decode", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--llama-defaults", action="store_true")
    a = ap.parse_args()
    prompt = json.load(open(a.ids))["prompt"]

    L.llama_backend_init()
    mp = L.llama_model_default_params()
    if not a.llama_defaults:
        mp.use_extra_bufts = False
    model = L.llama_model_load_from_file(a.model.encode(), mp)
    if not model:
        sys.exit("cannot load " + a.model)
    vocab = L.llama_model_get_vocab(model)
    n_vocab = L.llama_vocab_n_tokens(vocab)
    cp = L.llama_context_default_params()
    cp.n_ctx = len(prompt) + a.decode + 8
    cp.n_batch = cp.n_ubatch = max(len(prompt), 1)
    cp.n_threads = cp.n_threads_batch = a.threads
    if not a.llama_defaults:
        cp.flash_attn_type = L.LLAMA_FLASH_ATTN_TYPE_DISABLED
        cp.type_k = cp.type_v = L.GGML_TYPE_F32
    ctx = L.llama_init_from_model(model, cp)

    def run_once():
        mem = L.llama_get_memory(ctx)
        L.llama_memory_clear(mem, True)
        batch = L.llama_batch_init(len(prompt), 0, 1)
        batch.n_tokens = len(prompt)
        for i, t in enumerate(prompt):
            batch.token[i] = t
            batch.pos[i] = i
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = 0
            batch.logits[i] = 1 if i == len(prompt) - 1 else 0
        t0 = time.perf_counter()
        if L.llama_decode(ctx, batch) != 0:
            sys.exit("llama_decode failed")
        prefill = time.perf_counter() - t0
        L.llama_batch_free(batch)
        logits = np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, -1), shape=(n_vocab,))
        tok = int(np.argmax(logits))
        one = L.llama_batch_init(1, 0, 1)
        t1 = time.perf_counter()
        for k in range(a.decode):
            one.n_tokens = 1
            one.token[0] = tok
            one.pos[0] = len(prompt) + k
            one.n_seq_id[0] = 1
            one.seq_id[0][0] = 0
            one.logits[0] = 1
            if L.llama_decode(ctx, one) != 0:
                sys.exit("llama_decode failed")
            logits = np.ctypeslib.as_array(L.llama_get_logits_ith(ctx, -1), shape=(n_vocab,))
            tok = int(np.argmax(logits))
        decode = time.perf_counter() - t1
        L.llama_batch_free(one)
        return prefill, decode

    run_once()  # warm-up: page in the weights
    best_p, best_d = float("inf"), float("inf")
    for _ in range(max(1, a.repeats)):
        p, d = run_once()
        best_p, best_d = min(best_p, p), min(best_d, d)
    print(json.dumps({
        "runtime": "llama.cpp (llama-cpp-python %s)" % L.__version__,
        "threads": a.threads,
        "settings": "llama.cpp defaults" if a.llama_defaults else "F32 KV, no flash attention, no repacking",
        "promptTokens": len(prompt), "decodeTokens": a.decode,
        "prefillTokensPerSecond": len(prompt) / best_p, "decodeTokensPerSecond": a.decode / best_d,
    }))


if __name__ == "__main__":
    main()
