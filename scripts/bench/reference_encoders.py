#!/usr/bin/env python3
"""Reference timings for `franca bench ner|embed` (never used at run time).

Reads a JSONL corpus ({"text": ...} per line) and prints one JSON object with documents/s and tokens/s:
  ner:   onnxruntime on Rampart's model_q4.onnx, tokenized with HF tokenizers (tokenizer.json), padded batches.
  embed: sentence-transformers on all-MiniLM-L6-v2 (CPU torch).
Usage: reference_encoders.py ner|embed WEIGHTS VOCAB CORPUS.jsonl --threads N --batch B
  WEIGHTS is model_q4.onnx (ner) or the folder holding model.safetensors + config.json + vocab.txt (embed).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["ner", "embed"])
    ap.add_argument("weights")
    ap.add_argument("vocab")
    ap.add_argument("corpus")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--max-tokens", type=int, default=512)
    args = ap.parse_args()
    texts = [json.loads(line)["text"] for line in open(args.corpus, encoding="utf-8") if line.strip()]

    if args.task == "ner":
        import numpy as np
        import onnxruntime as ort
        from tokenizers import BertWordPieceTokenizer
        tok = BertWordPieceTokenizer(args.vocab, lowercase=True)
        tok.enable_truncation(args.max_tokens)
        so = ort.SessionOptions()
        so.intra_op_num_threads = args.threads
        so.inter_op_num_threads = 1
        sess = ort.InferenceSession(args.weights, so,
                                    providers=["CPUExecutionProvider"])

        def run(batch):
            encs = tok.encode_batch(batch)
            n = max(len(e.ids) for e in encs)
            ids = np.zeros((len(encs), n), dtype=np.int64)
            mask = np.zeros((len(encs), n), dtype=np.int64)
            for i, e in enumerate(encs):
                ids[i, :len(e.ids)] = e.ids
                mask[i, :len(e.ids)] = 1
            sess.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            return int(mask.sum())

        run(texts[: args.batch])  # warm-up
        start = time.perf_counter()
        tokens = 0
        for i in range(0, len(texts), args.batch):
            tokens += run(texts[i: i + args.batch])
        elapsed = time.perf_counter() - start
        runtime = "onnxruntime " + ort.__version__
    else:
        import torch
        from sentence_transformers import SentenceTransformer, models
        torch.set_num_threads(args.threads)
        encoder = models.Transformer(args.weights, max_seq_length=min(256, args.max_tokens))
        model = SentenceTransformer(modules=[encoder, models.Pooling(encoder.get_word_embedding_dimension(), "mean"),
                                            models.Normalize()], device="cpu")
        tokens = sum(len(model.tokenizer(t, truncation=True, max_length=model.max_seq_length)["input_ids"]) for t in texts)
        model.encode(texts[: args.batch], batch_size=args.batch)
        start = time.perf_counter()
        model.encode(texts, batch_size=args.batch)
        elapsed = time.perf_counter() - start
        runtime = "sentence-transformers (torch " + torch.__version__ + ")"

    print(json.dumps({"runtime": runtime, "threads": args.threads, "documents": len(texts), "tokens": tokens,
                      "seconds": elapsed, "documentsPerSecond": len(texts) / elapsed,
                      "tokensPerSecond": tokens / elapsed}))


if __name__ == "__main__":
    sys.exit(main())
