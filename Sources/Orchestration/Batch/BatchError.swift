import Foundation

/// A batch run that cannot go on (as opposed to one document failing, which is recorded and passed over).
public enum BatchError: Error, CustomStringConvertible {
    case io(path: String, operation: String, reason: String)
    case ledger(path: String, reason: String)
    /// The ledger in the output folder was written for another chain.
    case otherChain(path: String, ledgerChain: String, chain: String)
    /// The processor broke its contract (one record per document, in order).
    case processorContract(String)
    /// The processor threw: nothing could run (a model that will not load, ...).
    case processor(String)

    public var description: String {
        switch self {
        case let .io(path, operation, reason): return "cannot \(operation) \(path): \(reason)"
        case let .ledger(path, reason): return "ledger \(path): \(reason)"
        case let .otherChain(path, ledgerChain, chain):
            return "\(path) holds a run of chain '\(ledgerChain)', not '\(chain)': use another --out folder"
        case let .processorContract(message): return "internal error: \(message)"
        case let .processor(message): return message
        }
    }
}
