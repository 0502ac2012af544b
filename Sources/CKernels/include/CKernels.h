#ifndef FRANCA_CKERNELS_H
#define FRANCA_CKERNELS_H

#include <stdint.h>
#include <stddef.h>

/// CPU features the dispatcher found at run time (bit set).
enum {
    FRANCA_CPU_AVX2 = 1 << 0,
    FRANCA_CPU_FMA = 1 << 1,
    FRANCA_CPU_F16C = 1 << 2,
    FRANCA_CPU_AVX512F = 1 << 3,
    FRANCA_CPU_AVX512BW = 1 << 4,
    FRANCA_CPU_AVX512VNNI = 1 << 5,
};

/// Returns the FRANCA_CPU_* bits supported by the running CPU.
uint32_t franca_cpu_features(void);

#include "franca_pool.h"
#include "franca_kernels.h"
#include "franca_decoder.h"
#include "franca_quant.h"

#endif
