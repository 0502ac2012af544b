import Testing
import Kernels

/// Every binary16 value converts exactly like the platform's `Float16` (IEEE), including subnormals, inf, NaN.
@Test func fp16ToFloatIsExactForAllBitPatterns() {
    var bad = 0
    for h in 0...UInt16.max {
        let ours = fp16ToFloat(h), ref = Float(Float16(bitPattern: h))
        if ref.isNaN ? !ours.isNaN : ours.bitPattern != ref.bitPattern { bad += 1 }
    }
    #expect(bad == 0)
}

@Test func fp16HandValues() {
    #expect(fp16ToFloat(0x0001) == 0x1p-24)   // smallest subnormal
    #expect(fp16ToFloat(0x03FF) == 1023 * 0x1p-24)
    #expect(fp16ToFloat(0x3C00) == 1)
    #expect(fp16ToFloat(0xFBFF) == -65504)
    #expect(fp16ToFloat(0x7C00) == .infinity)
    #expect(fp16ToFloat(0x8000).bitPattern == (-Float(0)).bitPattern)
    #expect(floatToFP16(1 + 0x1p-11) == 0x3C00)        // tie → even
    #expect(floatToFP16(1 + 3 * 0x1p-11) == 0x3C02)    // tie → even (up)
    #expect(floatToFP16(65520) == 0x7C00)              // rounds past max → inf
    #expect(floatToFP16(65519) == 0x7BFF)
    #expect(floatToFP16(0x1p-25) == 0x0000)             // tie between 0 and min subnormal → 0
    #expect(floatToFP16(0x1.8p-25) == 0x0001)
    #expect(floatToFP16(-.infinity) == 0xFC00)
    #expect(floatToFP16(.nan) & 0x7E00 == 0x7E00)
}

/// Float → fp16 agrees with IEEE round-to-nearest-even (`Float16.init`) on a dense sample of all f32 patterns.
@Test func floatToFP16MatchesIEEEOnSample() {
    var bad = 0
    var bits: UInt32 = 0
    while true {
        let f = Float(bitPattern: bits)
        let ours = floatToFP16(f), ref = Float16(f).bitPattern
        if f.isNaN ? (ours & 0x7C00 != 0x7C00 || ours & 0x3FF == 0) : ours != ref { bad += 1 }
        let (next, overflow) = bits.addingReportingOverflow(977)
        if overflow { break }
        bits = next
    }
    #expect(bad == 0)
}

@Test func bf16RoundTrip() {
    #expect(bf16ToFloat(0x3F80) == 1)
    #expect(floatToBF16(1 + 0x1p-8) == 0x3F80)      // tie → even
    #expect(floatToBF16(1 + 3 * 0x1p-8) == 0x3F82)
    #expect(bf16ToFloat(floatToBF16(.nan)).isNaN)
}
