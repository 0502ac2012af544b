#include "CKernels.h"

uint32_t franca_cpu_features(void) {
    uint32_t bits = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) bits |= FRANCA_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= FRANCA_CPU_FMA;
    if (__builtin_cpu_supports("f16c")) bits |= FRANCA_CPU_F16C;
    if (__builtin_cpu_supports("avx512f")) bits |= FRANCA_CPU_AVX512F;
    if (__builtin_cpu_supports("avx512bw")) bits |= FRANCA_CPU_AVX512BW;
    if (__builtin_cpu_supports("avx512vnni")) bits |= FRANCA_CPU_AVX512VNNI;
#endif
    return bits;
}
