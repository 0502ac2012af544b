import CKernels

/// Which implementation of a kernel runs: `.auto` picks the fastest one this CPU supports.
///
/// Tests pin each supported path against the Swift reference twins; a path the CPU lacks falls back to the best
/// one below it.
public enum KernelPath: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case auto = -1
    case scalar = 0
    case avx2 = 1
    case avx512 = 2

    /// The path `.auto` resolves to on this CPU.
    public static var best: KernelPath { KernelPath(rawValue: franca_best_path()) ?? .scalar }

    /// The explicit paths this CPU can run, slowest first.
    public static var supported: [KernelPath] { [.scalar, .avx2, .avx512].filter { $0.rawValue <= best.rawValue } }

    public var description: String {
        switch self {
        case .auto: return "auto(\(KernelPath.best))"
        case .scalar: return "scalar"
        case .avx2: return "avx2+fma"
        case .avx512: return "avx512f"
        }
    }
}
