/// Restricts which tokens may come next (grammar-constrained decoding).
///
/// The generator calls `applyMask` before every sampling step and `accept` with the token it chose. End-of-
/// generation tokens are the generator's business: it allows them only while `isAccepting` holds, and stops
/// by itself once `isFinished` holds.
public protocol TokenConstraint: AnyObject {
    /// Sets the logit of every token the constraint forbids next to `-Float.infinity`.
    func applyMask(to logits: UnsafeMutableBufferPointer<Float>)
    /// `applyMask`, knowing that at most `remainingTokens` tokens (this one included) may still be generated: a
    /// constraint that can, forbids tokens after which its text could not be completed in time.
    func applyMask(to logits: UnsafeMutableBufferPointer<Float>, remainingTokens: Int)
    /// Advances past `token`; throws when the constraint did not allow it.
    func accept(_ token: Int32) throws
    /// The text so far is a complete sentence of the grammar (stopping here is allowed).
    var isAccepting: Bool { get }
    /// No token can extend the text any more (generation must stop).
    var isFinished: Bool { get }
}

extension TokenConstraint {
    public func applyMask(to logits: UnsafeMutableBufferPointer<Float>, remainingTokens: Int) { applyMask(to: logits) }
}
