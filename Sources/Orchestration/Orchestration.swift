import Canonical
import Inference

/// Chain and adapter loading, planning, execution and validation.
public enum FrancaInfo {
    public static let version = "0.1.0"
    public static let schemaVersion = CanonicalVersion.current
}
