#ifndef FRANCA_DECODER_H
#define FRANCA_DECODER_H

#include <stdint.h>
#include "franca_pool.h"

/// Dot product of n weights (one row of a quantized matrix) with n activations packed in the weight type's
/// activation type (ggml vec_dot). Same shape as the Swift `VecDotFn`.
typedef float (*franca_vec_dot_fn)(const void *_Nonnull weights, const void *_Nonnull activations, long n);

/// c[t * ldc + r] = dot(row r of W, activation row t) for r < rows, t < tokens.
/// W rows are w_row_bytes apart, activation rows a_row_bytes apart; both hold k elements.
typedef struct {
    const uint8_t *w; int64_t w_row_bytes; int64_t rows;
    const uint8_t *a; int64_t a_row_bytes; int64_t tokens;
    int64_t k;
    float *c; int64_t ldc;
    franca_vec_dot_fn dot;
    /// Optional (else NULL): one row against 4 tokens with `dot`'s bits per token (franca_qdot_tokens4_fn in
    /// franca_quant.h), used for whole groups of 4 tokens.
    void (*_Nullable dot_tokens4)(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                  float *_Nonnull out);
} franca_qmatmul_args;

/// Runs the matmul on the pool in chunks of rows; each chunk walks all tokens so a weight row is reused from cache.
void franca_qmatmul(franca_pool *pool, const franca_qmatmul_args *args);

/// Causal attention of new query tokens over a KV cache (grouped-query: query head h reads KV head h / group).
///
/// q: [tokens, heads * head_dim] (row stride ldq); k_cache, v_cache: [positions, kv_heads * head_dim] (row stride
/// ldkv). Query token t sits at position positions[t] and attends to keys p with p <= positions[t] and, when
/// window > 0, positions[t] - p < window. out: [tokens, heads * head_dim] (row stride ldo).
/// scratch: pool threads × (max_positions) floats.
/// k_caches / v_caches (optional, else NULL): one cache per query token, for a step over several sequences that
/// each have their own cache; when set, k_cache / v_cache are ignored. batch_order: 1 sums the values in
/// llama.cpp's order for a batch of ≥ 2 tokens of one sequence, 0 in its single-token order.
typedef struct {
    const float *q; int64_t ldq;
    const float *k_cache; const float *v_cache; int64_t ldkv;
    float *out; int64_t ldo;
    const int64_t *positions; int64_t tokens;
    int64_t heads, kv_heads, head_dim;
    int64_t window;
    float scale;
    float *scratch; int64_t max_positions;
    const float *const *k_caches; const float *const *v_caches;
    int32_t batch_order;
} franca_decoder_attention_args;

/// With AVX2 the float operations follow llama.cpp's CPU backend exactly (see decoder.c); `batch_order` selects
/// its batch order for the weighted sum of values.
void franca_decoder_attention(franca_pool *pool, const franca_decoder_attention_args *args);

/// gate[i] = silu(gate[i]) · up[i] with llama.cpp's exp (ggml_v_expf) when the CPU has AVX2, else libm's.
void franca_swiglu(float *gate, const float *up, int64_t n);

#endif
