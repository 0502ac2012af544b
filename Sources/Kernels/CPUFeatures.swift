import CKernels

/// The SIMD features of the running CPU, read once; kernels pick their fastest path from it.
public struct CPUFeatures: OptionSet, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let avx2 = CPUFeatures(rawValue: UInt32(FRANCA_CPU_AVX2))
    public static let fma = CPUFeatures(rawValue: UInt32(FRANCA_CPU_FMA))
    public static let f16c = CPUFeatures(rawValue: UInt32(FRANCA_CPU_F16C))
    public static let avx512f = CPUFeatures(rawValue: UInt32(FRANCA_CPU_AVX512F))
    public static let avx512bw = CPUFeatures(rawValue: UInt32(FRANCA_CPU_AVX512BW))
    public static let avx512vnni = CPUFeatures(rawValue: UInt32(FRANCA_CPU_AVX512VNNI))

    /// Features of this machine.
    public static let current = CPUFeatures(rawValue: franca_cpu_features())

    public var description: String {
        let names: [(CPUFeatures, String)] = [
            (.avx2, "avx2"), (.fma, "fma"), (.f16c, "f16c"),
            (.avx512f, "avx512f"), (.avx512bw, "avx512bw"), (.avx512vnni, "avx512vnni"),
        ]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "portable" : present.joined(separator: " ")
    }
}
