#ifndef FRANCA_QUANT_H
#define FRANCA_QUANT_H

// SIMD twins of the scalar quantization kernels in Sources/Kernels/Quant (the specification).
//
// Every dot has the exact shape of the Swift `VecDotFn` (weights, activations, element count) so Swift can hand it
// to the matmul driver as a plain C function pointer; every quantizer has the shape of `QuantizeRowFn`.
// The *_avx2 functions need AVX2 + FMA + F16C: call them only when franca_quant_avx2_supported() is true.
//
// Preconditions (as in ggml): n is a whole number of blocks of both the weight and the activation type; activation
// codes lie in [-127, 127] (what every quantizer produces; weights may use -128); Q8_K `bsums` are the sums of their
// 16 codes. Results equal the scalar references up to float summation order: the integer part of every block is
// exact, only the order in which the per-block float products are added differs.

#include <stdint.h>
#include "franca_pool.h"

/// True when the CPU has AVX2, FMA and F16C (the *_avx2 kernels may run).
int franca_quant_avx2_supported(void);

#define FRANCA_QDOT(name) float franca_dot_##name##_avx2(const void *_Nonnull w, const void *_Nonnull a, long n)
FRANCA_QDOT(f32);
FRANCA_QDOT(f16);
FRANCA_QDOT(bf16);
FRANCA_QDOT(q8_0);
FRANCA_QDOT(q4_0);
FRANCA_QDOT(q4_1);
FRANCA_QDOT(q5_0);
FRANCA_QDOT(q5_1);
FRANCA_QDOT(q1_0);
FRANCA_QDOT(q2_0);
FRANCA_QDOT(pq2_0);
FRANCA_QDOT(q4_K);
FRANCA_QDOT(q5_K);
FRANCA_QDOT(q6_K);
FRANCA_QDOT(tq1_0);
FRANCA_QDOT(tq2_0);
/// The same dots in the float order llama.cpp uses for batches of ≥ 8 tokens (its "tiled" K-quant matmul):
/// per super-block d_w·s1 (− dmin_w·s2) FMA'd with d_a into one scalar sum.
FRANCA_QDOT(q4_K_batch);
FRANCA_QDOT(q5_K_batch);
FRANCA_QDOT(q6_K_batch);
#undef FRANCA_QDOT

/// Four weight rows at once (row r at w + r·row_bytes) against one activation row: out[r] = dot(row r, a).
/// The activation block is loaded once per 4 rows and the 4 accumulators are independent; same precision contract
/// as the single-row dots. QuantMatmul.run uses it for one-token products of the types in GGMLType.decodeRows4.
typedef void (*franca_qgemv_rows4_fn)(const void *_Nonnull w, long row_bytes, const void *_Nonnull a, long n,
                                      float *_Nonnull out);
#define FRANCA_QROWS4(name) \
    void franca_qgemv_rows4_##name##_avx2(const void *_Nonnull w, long row_bytes, const void *_Nonnull a, long n, \
                                         float *_Nonnull out)
FRANCA_QROWS4(q8_0);
FRANCA_QROWS4(q4_1);
FRANCA_QROWS4(q5_0);
FRANCA_QROWS4(q4_K);
FRANCA_QROWS4(q6_K);
#undef FRANCA_QROWS4

/// One weight row against four activation rows (token t at a + t·a_row_bytes): out[t] = dot(w, token t). The
/// weight block is unpacked once for 4 tokens and the 4 accumulators are independent; each out[t] has exactly the
/// bits of the single-row dot (same operations in the same order per token). For prefill, tokens in groups of 4.
typedef void (*franca_qdot_tokens4_fn)(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                       float *_Nonnull out);
void franca_qdot_tokens4_q4_1_avx2(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                   float *_Nonnull out);
void franca_qdot_tokens4_q8_0_avx2(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                   float *_Nonnull out);
void franca_qdot_tokens4_q5_0_avx2(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                   float *_Nonnull out);
void franca_qdot_tokens4_q1_0_avx2(const void *_Nonnull w, const void *_Nonnull a, long a_row_bytes, long n,
                                   float *_Nonnull out);

/// y[r] = dot(row r of W, a) for r < rows (W rows row_bytes apart), split over the pool in chunks of rows; uses the
/// 4-row kernel for whole groups of 4 and `dot` for the rest (the one-token path of QuantMatmul.run).
void franca_qgemv_rows4_run(franca_pool *_Nullable pool, franca_qgemv_rows4_fn _Nonnull rows4,
                            float (*_Nonnull dot)(const void *_Nonnull, const void *_Nonnull, long),
                            const void *_Nonnull w, long row_bytes, long rows, const void *_Nonnull a, long n,
                            float *_Nonnull y);

/// Activation quantizers, byte-identical to the scalar references (llama.cpp's x86 semantics, see
/// ActivationQuantizers.swift).
void franca_quantize_q8_0_avx2(const float *_Nonnull src, void *_Nonnull dst, long n);
void franca_quantize_q8_1_avx2(const float *_Nonnull src, void *_Nonnull dst, long n);
void franca_quantize_q8_K_avx2(const float *_Nonnull src, void *_Nonnull dst, long n);

/// Reads `bytes` bytes of `buf` split over the pool (AVX2 loads when available) and returns a checksum so the
/// reads cannot be optimised away: the memory-bandwidth ceiling of a matrix-vector product.
uint64_t franca_stream_read(franca_pool *_Nullable pool, const void *_Nonnull buf, int64_t bytes);

#endif
