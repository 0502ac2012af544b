import Dispatch

extension Sequence {
    /// `map` with the elements spread over the cores (`DispatchQueue.concurrentPerform`), results in input order.
    ///
    /// For the per-document work between forward passes (tokenizing, output validation, applying, checks): done one
    /// document at a time it leaves the other cores idle, and each document's work is independent of the others'.
    /// `transform` must not touch shared mutable state. A throwing `transform` throws the error of the first element
    /// that threw, in input order, as `map` does (the others still ran).
    public func parallelMap<T, E: Error>(_ transform: (Element) throws(E) -> T) throws(E) -> [T] {
        let items = Array(self)
        guard items.count > 1 else { return try items.map(transform) }
        var results = [Result<T, E>?](repeating: nil, count: items.count)
        withoutActuallyEscaping(transform) { transform in
            results.withUnsafeMutableBufferPointer { slots in
                let slots = slots  // each iteration writes its own slot only
                DispatchQueue.concurrentPerform(iterations: items.count) { i in
                    slots[i] = Result { () throws(E) -> T in try transform(items[i]) }
                }
            }
        }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for r in results { out.append(try r!.get()) }  // the first failure in input order, as `map` would throw
        return out
    }
}
