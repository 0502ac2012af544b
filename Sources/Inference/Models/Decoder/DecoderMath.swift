import Foundation
import Kernels

/// The small per-row operations of the decoder forward pass, written to follow ggml's CPU reference order
/// (double-precision sums in RMS norm, RoPE angles by repeated multiplication) so results track llama.cpp.
enum DecoderMath {
    /// y = x / sqrt(mean(x²) + eps) · w over `n` values (x and y may alias).
    @inline(__always)
    static func rmsNorm(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
                        n: Int, eps: Float) {
        var sum: Double = 0
        for i in 0..<n { sum += Double(x[i] * x[i]) }
        let scale = 1 / (Float(sum / Double(n)) + eps).squareRoot()
        for i in 0..<n { y[i] = (x[i] * scale) * weight[i] }
    }

    /// The cos/sin table of one position for `dims` rotated dimensions (`dims / 2` angles).
    static func ropeAngles(position: Int, dims: Int, base: Float, scale: Float,
                           cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(base, -2 / Float(dims))
        var theta = Float(position)
        let freqScale = 1 / scale
        for i in 0..<(dims / 2) {
            let t = freqScale * theta
            cos[i] = cosf(t)
            sin[i] = sinf(t)
            theta *= thetaScale
        }
    }

    /// Rotates every head of one token row in place: (x0·cos − x1·sin, x0·sin + x1·cos), each with its x0 product
    /// fused (one rounding), as GCC compiles ggml's `rotate_pairs` (-ffp-contract=fast) in llama.cpp's CPU backend
    /// (checked bit for bit against its rope outputs, both styles).
    static func rope(_ row: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, dims: Int, style: RopeStyle,
                     cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        let half = dims / 2
        for h in 0..<heads {
            let x = row + h * headDim
            switch style {
            case .interleaved:
                for i in 0..<half {
                    let x0 = x[2 * i], x1 = x[2 * i + 1]
                    x[2 * i] = (-(x1 * sin[i])).addingProduct(x0, cos[i])
                    x[2 * i + 1] = (x1 * cos[i]).addingProduct(x0, sin[i])
                }
            case .neox:
                for i in 0..<half {
                    let x0 = x[i], x1 = x[i + half]
                    x[i] = (-(x1 * sin[i])).addingProduct(x0, cos[i])
                    x[i + half] = (x1 * cos[i]).addingProduct(x0, sin[i])
                }
            }
        }
    }

    /// gate[i] = act(gate[i]) · up[i].
    static func gatedActivation(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, n: Int,
                                _ kind: GatedActivation) {
        switch kind {
        case .silu:
            DecoderActivation.swiglu(gate: gate, up: up, count: n)
        case .geluTanh:
            for i in 0..<n { gate[i] = geluHalfTable(gate[i]) * up[i] }
        }
    }

    /// GELU (tanh approximation) as ggml's CPU backend computes it: through a table indexed by the half-precision
    /// input, holding half-precision results; |x| ≥ 10 passes through or gives 0.
    @inline(__always)
    static func geluHalfTable(_ x: Float) -> Float {
        if x <= -10 { return 0 }
        if x >= 10 { return x }
        let h = Float(Float16(x))
        let c: Float = 0.797_884_560_802_865_4  // sqrt(2/π)
        // 1 + 0.044715·h·h with one rounding: GCC fuses it when llama.cpp fills its table (one entry differs).
        let inner = Float(1).addingProduct(0.044715 * h, h)
        return Float(Float16(0.5 * h * (1 + tanhf(c * h * inner))))
    }
}
