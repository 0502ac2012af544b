/// Why a safetensors file was refused or a tensor could not be read. Every case names the file, and the tensor
/// when one is involved, so the message says where to look.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    case cannotRead(MappedFileError)
    /// The file is shorter than the 8-byte header length.
    case fileTooSmall(path: String, size: Int)
    case headerTooLarge(path: String, declared: UInt64, limit: UInt64)
    case headerOutsideFile(path: String, declared: UInt64, fileSize: Int)
    /// The header is not valid JSON (or not valid UTF-8); `offset` is the file offset of the problem.
    case invalidJSON(path: String, offset: Int, reason: String)
    case headerNotObject(path: String, found: String)
    /// A tensor entry lacks a field or has one of the wrong JSON type.
    case invalidTensorEntry(path: String, tensor: String, reason: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case invalidShape(path: String, tensor: String, reason: String)
    /// `data_offsets` has END < BEGIN.
    case invalidOffsets(path: String, tensor: String, begin: UInt64, end: UInt64)
    /// element count × dtype size differs from the span of `data_offsets` (or overflows); `expectedBytes` reads
    /// like "12 bytes" or "12 bits (not a whole number of bytes)".
    case sizeMismatch(path: String, tensor: String, expectedBytes: String, span: UInt64)
    case offsetsOutsideBuffer(path: String, tensor: String, end: UInt64, bufferSize: Int)
    case overlap(path: String, tensor: String, other: String)
    /// Bytes between two tensors (or before the first) belong to no tensor.
    case gap(path: String, tensor: String, expectedBegin: UInt64, begin: UInt64)
    /// The tensors end before the file does: trailing bytes belong to no tensor.
    case incompleteBuffer(path: String, coveredEnd: UInt64, bufferSize: Int)
    case invalidMetadata(path: String, key: String, reason: String)
    case tensorNotFound(path: String, tensor: String, suggestion: String?)
    case wrongDType(path: String, tensor: String, dtype: String, expected: String)
    /// A zero-copy typed view needs the data aligned for its element type.
    case misaligned(path: String, tensor: String, fileOffset: Int, alignment: Int)

    public var description: String {
        switch self {
        case .cannotRead(let e):
            return e.description
        case let .fileTooSmall(path, size):
            return "\(path): \(size) bytes is too small for a safetensors file (needs at least the 8-byte header length)"
        case let .headerTooLarge(path, declared, limit):
            return "\(path): header length \(declared) exceeds the safetensors limit of \(limit) bytes (corrupt or not a safetensors file)"
        case let .headerOutsideFile(path, declared, fileSize):
            return "\(path): header length \(declared) runs past the end of the file (\(fileSize) bytes); the file is truncated or not safetensors"
        case let .invalidJSON(path, offset, reason):
            return "\(path): header JSON invalid at byte \(offset): \(reason)"
        case let .headerNotObject(path, found):
            return "\(path): header must be a JSON object, found \(found)"
        case let .invalidTensorEntry(path, tensor, reason):
            return "\(path): tensor '\(tensor)': \(reason)"
        case let .unknownDType(path, tensor, dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(path): tensor '\(tensor)' has unknown dtype \"\(dtype)\" (known: \(known))"
        case let .invalidShape(path, tensor, reason):
            return "\(path): tensor '\(tensor)' has an invalid shape: \(reason)"
        case let .invalidOffsets(path, tensor, begin, end):
            return "\(path): tensor '\(tensor)' has data_offsets [\(begin), \(end)] with END before BEGIN"
        case let .sizeMismatch(path, tensor, expectedBytes, span):
            return "\(path): tensor '\(tensor)' needs \(expectedBytes) for its shape and dtype but data_offsets span \(span) bytes"
        case let .offsetsOutsideBuffer(path, tensor, end, bufferSize):
            return "\(path): tensor '\(tensor)' ends at data offset \(end) but the data buffer has \(bufferSize) bytes (file truncated?)"
        case let .overlap(path, tensor, other):
            return "\(path): tensor '\(tensor)' overlaps tensor '\(other)'"
        case let .gap(path, tensor, expectedBegin, begin):
            return "\(path): tensor '\(tensor)' begins at data offset \(begin) but the previous tensor ends at \(expectedBegin); bytes in between belong to no tensor"
        case let .incompleteBuffer(path, coveredEnd, bufferSize):
            return "\(path): tensors cover \(coveredEnd) bytes but the data buffer has \(bufferSize); trailing bytes belong to no tensor"
        case let .invalidMetadata(path, key, reason):
            return "\(path): __metadata__ entry '\(key)': \(reason)"
        case let .tensorNotFound(path, tensor, suggestion):
            return "\(path): no tensor named '\(tensor)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .wrongDType(path, tensor, dtype, expected):
            return "\(path): tensor '\(tensor)' has dtype \(dtype), expected \(expected)"
        case let .misaligned(path, tensor, fileOffset, alignment):
            return "\(path): tensor '\(tensor)' starts at file offset \(fileOffset), not a multiple of \(alignment); read it as a copy instead"
        }
    }
}
