#ifndef FRANCA_KERNELS_H
#define FRANCA_KERNELS_H

#include <stdint.h>
#include <stddef.h>
#include "franca_pool.h"

/// Which implementation a kernel uses. AUTO picks the best one the CPU supports.
enum {
    FRANCA_PATH_AUTO = -1,
    FRANCA_PATH_SCALAR = 0,
    FRANCA_PATH_AVX2 = 1,   /* AVX2 + FMA */
    FRANCA_PATH_AVX512 = 2, /* AVX-512F */
};

/// The best path this CPU supports.
int32_t franca_best_path(void);
/// `path` if the CPU supports it, else the best supported path below it (AUTO resolves to the best).
int32_t franca_resolve_path(int32_t path);

/// Columns per packed weight panel.
#define FRANCA_GEMM_NR 16

/// Epilogue applied to C after bias.
enum {
    FRANCA_EPILOGUE_NONE = 0,
    FRANCA_EPILOGUE_GELU = 1, /* exact GELU: 0.5 x (1 + erf(x / sqrt 2)) */
};

/// Floats needed to pack an [n, k] weight matrix (panels of FRANCA_GEMM_NR columns, zero padded).
size_t franca_gemm_packed_count(int64_t n, int64_t k);
/// Packs w ([n, k] row-major, row stride ldw) into panels: packed[p][kk][j] = w[p*NR + j][kk] (0 when out of range).
void franca_gemm_pack(const float *w, int64_t n, int64_t k, int64_t ldw, float *packed);

/// Bytes of 4-bit weights [n, k] repacked for the GEMM (franca_q4_pack).
size_t franca_q4_packed_bytes(int64_t n, int64_t k, int64_t block_size);
/// Repacks MatMulNBits 4-bit weights for the GEMM: codes [n][ceil(k/bs)][bs/2] (element 2i of a block in the low
/// nibble of byte i, 2i+1 in the high nibble), scales [n][blocks], zero points [n][blocks] as floats (NULL: 8).
/// Per panel of 16 rows and per k-block the result holds 16 scales, 16 zero points, then one 8-byte row per k
/// (byte j: column j in the low nibble, column j+8 in the high one). The GEMM dequantizes a panel at a time,
/// w = (q − zero point) · scale in f32, exactly as onnxruntime's fp32-accuracy path, so results equal the f32 GEMM
/// on the dequantized matrix. bs must be even.
void franca_q4_pack(const uint8_t *codes, const float *scales, const float *zero_points, int64_t n, int64_t k,
                    int64_t block_size, uint8_t *packed);

/// C[m, n] = A[m, k] · W[n, k]ᵀ + bias, then the epilogue. W is given packed: f32 panels (franca_gemm_pack) in
/// packed_w, or 4-bit blocks (franca_q4_pack) in packed_q4 with q4_block_size.
typedef struct {
    const float *a; int64_t lda;
    const float *packed_w;
    const uint8_t *packed_q4; int64_t q4_block_size;
    const float *bias; /* [n] or NULL */
    float *c; int64_t ldc;
    int64_t m, n, k;
    int32_t epilogue;
    int32_t path;
} franca_gemm_args;

/// Runs the GEMM, split into tasks over column panels (and row blocks when m is large) on the pool.
void franca_gemm(franca_pool *pool, const franca_gemm_args *args);

/// Multi-head self-attention over packed variable-length sequences.
///
/// qkv: [tokens, 3*hidden] rows (Q | K | V, heads contiguous inside each), row stride ld_qkv.
/// Sequence s covers rows seq_start[s] ..< seq_start[s+1]. key_keep[t] != 0 when token t may be attended to.
/// out: [tokens, hidden] rows, stride ld_out. scale multiplies Q·K before the softmax.
/// scratch: per worker franca_attention_scratch_count(max_len, head_dim) floats, workers = pool threads.
typedef struct {
    const float *qkv; int64_t ld_qkv;
    float *out; int64_t ld_out;
    const int64_t *seq_start; int64_t seqs;
    const uint8_t *key_keep;
    int64_t heads, head_dim;
    float scale;
    float *scratch; int64_t max_len;
    int32_t path;
} franca_attention_args;

size_t franca_attention_scratch_count(int64_t max_len, int64_t head_dim);
void franca_attention(franca_pool *pool, const franca_attention_args *args);

/// x[r] = LayerNorm(x[r] + delta[r]) * gamma + beta for each of `rows` rows of `dim` (delta may be NULL).
void franca_add_layernorm(float *x, int64_t ldx, const float *delta, int64_t ld_delta, int64_t rows, int64_t dim,
                          const float *gamma, const float *beta, float eps, int32_t path);

/// In-place exact GELU over n floats.
void franca_gelu(float *x, int64_t n, int32_t path);

/// In-place softmax over each of `rows` rows of `cols` (numerically stable).
void franca_softmax_rows(float *x, int64_t rows, int64_t cols, int64_t ldx, int32_t path);

#endif
