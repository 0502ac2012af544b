/// The version of the canonical intermediate schema every record carries.
public enum CanonicalVersion {
    public static let current = "franca/v1"
}
