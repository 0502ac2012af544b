import Kernels

/// The shared Swift inference core: weight files, tokenizers, architectures, sampling.
public enum InferenceCore {
    /// CPU features the kernels dispatch on.
    public static var cpu: CPUFeatures { .current }
}
