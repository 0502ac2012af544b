import Kernels

/// Why a GGUF file was refused. Every case names the file and where (key, tensor, byte offset) and what
/// was expected, so a user can tell a truncated download from a wrong converter or an unsupported type.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    /// A read of `length` bytes at `offset` passes the end of the file.
    case truncated(path: String, what: String, offset: UInt64, length: UInt64, fileSize: Int)
    case badMagic(path: String, found: UInt32)
    case unsupportedVersion(path: String, version: UInt32)
    /// A count (tensors, keys, array elements) larger than the rest of the file could hold.
    case implausibleCount(path: String, what: String, count: UInt64, limit: UInt64)
    case stringTooLong(path: String, what: String, length: UInt64, limit: UInt64)
    case unknownValueType(path: String, key: String, typeID: UInt32, offset: Int)
    case nestingTooDeep(path: String, key: String, limit: Int)
    case duplicateKey(path: String, key: String)
    /// `general.alignment` is not a u32 power of two.
    case badAlignment(path: String, detail: String)
    case duplicateTensor(path: String, name: String)
    case tooManyDimensions(path: String, tensor: String, nDims: UInt32)
    case badDimension(path: String, tensor: String, dims: [UInt64])
    /// The tensor's ggml type id is not one this build knows (the whole file is refused, like ggml).
    case unknownTensorType(path: String, tensor: String, typeID: UInt32)
    case rowNotBlockMultiple(path: String, tensor: String, type: String, ne0: Int, blockSize: Int)
    case sizeOverflow(path: String, tensor: String)
    case misalignedOffset(path: String, tensor: String, offset: UInt64, alignment: Int)
    /// ggml lays tensors out contiguously in order; anything else means a wrong block size or a corrupt file.
    case unexpectedOffset(path: String, tensor: String, offset: UInt64, expected: UInt64)
    case tensorOutOfBounds(path: String, tensor: String, start: UInt64, length: UInt64, fileSize: Int)
    case tensorNotFound(path: String, name: String)

    public var description: String {
        switch self {
        case let .truncated(path, what, offset, length, size):
            return "\(path): \(what) needs bytes \(offset)..<\(offset &+ length) but the file has only \(size) bytes (truncated or corrupt GGUF)"
        case let .badMagic(path, found):
            return "\(path): not a GGUF file (magic 0x\(String(found, radix: 16)), expected 0x46554747 \"GGUF\")"
        case let .unsupportedVersion(path, v):
            if v == 1 { return "\(path): GGUF version 1 is not supported (re-convert with a current llama.cpp; versions 2 and 3 load)" }
            if v & 0xFFFF == 0 { return "\(path): GGUF version field 0x\(String(v, radix: 16)) looks big-endian; only little-endian files are supported" }
            return "\(path): unsupported GGUF version \(v) (versions 2 and 3 load)"
        case let .implausibleCount(path, what, count, limit):
            return "\(path): \(what) is \(count), more than the remaining file could hold (at most \(limit)); the file is truncated or corrupt"
        case let .stringTooLong(path, what, length, limit):
            return "\(path): \(what) is \(length) bytes long, the limit is \(limit)"
        case let .unknownValueType(path, key, id, offset):
            return "\(path): metadata key '\(key)' has unknown value type \(id) at byte \(offset) (expected 0...12)"
        case let .nestingTooDeep(path, key, limit):
            return "\(path): metadata key '\(key)' nests arrays deeper than \(limit) levels"
        case let .duplicateKey(path, key):
            return "\(path): metadata key '\(key)' appears twice"
        case let .badAlignment(path, detail):
            return "\(path): general.alignment \(detail) (must be a u32 power of two)"
        case let .duplicateTensor(path, name):
            return "\(path): tensor '\(name)' appears twice"
        case let .tooManyDimensions(path, tensor, n):
            return "\(path): tensor '\(tensor)' has \(n) dimensions (at most 4)"
        case let .badDimension(path, tensor, dims):
            return "\(path): tensor '\(tensor)' has invalid dimensions \(dims)"
        case let .unknownTensorType(path, tensor, id):
            let known = GGMLType.allCases.map { "\($0.name)=\($0.rawValue)" }.joined(separator: ", ")
            return "\(path): tensor '\(tensor)' has ggml type \(id), which this build does not know (known: \(known))"
        case let .rowNotBlockMultiple(path, tensor, type, ne0, block):
            return "\(path): tensor '\(tensor)' of type \(type) has rows of \(ne0) elements, not a multiple of the block size \(block)"
        case let .sizeOverflow(path, tensor):
            return "\(path): tensor '\(tensor)' is too large (size overflows)"
        case let .misalignedOffset(path, tensor, offset, alignment):
            return "\(path): tensor '\(tensor)' has offset \(offset), not a multiple of the alignment \(alignment)"
        case let .unexpectedOffset(path, tensor, offset, expected):
            return "\(path): tensor '\(tensor)' has offset \(offset), expected \(expected) (tensors must be contiguous and in order; a wrong block size for its type also causes this)"
        case let .tensorOutOfBounds(path, tensor, start, length, size):
            return "\(path): tensor '\(tensor)' needs bytes \(start)..<\(start &+ length) but the file has only \(size) bytes (truncated download?)"
        case let .tensorNotFound(path, name):
            return "\(path): no tensor named '\(name)'"
        }
    }
}
