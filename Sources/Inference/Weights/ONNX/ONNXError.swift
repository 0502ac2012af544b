/// Why an ONNX model file was refused or one of its tensors or nodes could not be used.
/// Cases name the file and the offset, tensor or node involved.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    case cannotRead(MappedFileError)
    /// A field runs past the end of its enclosing message (file truncated or a length lies).
    case truncated(path: String, offset: Int, what: String)
    /// A length-delimited field claims more bytes than its enclosing message has left.
    case lengthOutOfBounds(path: String, offset: Int, length: UInt64, available: Int, what: String)
    /// Not valid protobuf: field number 0, a group or unknown wire type, an over-long varint, a bad packed size.
    case malformed(path: String, offset: Int, reason: String)
    case missingGraph(path: String)
    case invalidTensor(path: String, tensor: String, reason: String)
    case rawDataSizeMismatch(path: String, tensor: String, expectedBytes: String, actualBytes: Int)
    case unsupportedDataType(path: String, tensor: String, dataType: Int32, use: String)
    /// Tensors stored outside the .onnx file are not supported (all models we ship are single-file).
    case externalDataUnsupported(path: String, tensor: String, location: String)
    case duplicateInitializer(path: String, name: String)
    case initializerNotFound(path: String, name: String, suggestion: String?)
    case wrongDataType(path: String, tensor: String, dataType: String, expected: String)
    /// Zero-copy access needs `raw_data`; this tensor uses a typed field (`float_data`, `int32_data`, …).
    case notRawData(path: String, tensor: String)
    case nodeNotFound(path: String, name: String)
    /// A node lacks an attribute or input, or its initializers disagree with its attributes.
    case invalidNode(path: String, node: String, reason: String)
    case invalidQuantization(path: String, name: String, reason: String)

    public var description: String {
        switch self {
        case .cannotRead(let e):
            return e.description
        case let .truncated(path, offset, what):
            return "\(path): \(what) runs past its message at byte \(offset) (file truncated or corrupt)"
        case let .lengthOutOfBounds(path, offset, length, available, what):
            return "\(path): \(what) at byte \(offset) claims \(length) bytes but only \(available) remain in its message (truncated or corrupt)"
        case let .malformed(path, offset, reason):
            return "\(path): not a valid ONNX protobuf at byte \(offset): \(reason)"
        case let .missingGraph(path):
            return "\(path): the model has no graph (is this an ONNX model file?)"
        case let .invalidTensor(path, tensor, reason):
            return "\(path): tensor '\(tensor)': \(reason)"
        case let .rawDataSizeMismatch(path, tensor, expected, actual):
            return "\(path): tensor '\(tensor)' has \(actual) bytes of raw_data but its dims and data type need \(expected)"
        case let .unsupportedDataType(path, tensor, dataType, use):
            return "\(path): tensor '\(tensor)' has data type \(ONNXDataType.describe(dataType)), which \(use) does not support"
        case let .externalDataUnsupported(path, tensor, location):
            return "\(path): tensor '\(tensor)' is stored in external file '\(location)'; external data is not supported, re-export the model as a single file"
        case let .duplicateInitializer(path, name):
            return "\(path): two initializers are named '\(name)'"
        case let .initializerNotFound(path, name, suggestion):
            return "\(path): no initializer named '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case let .wrongDataType(path, tensor, dataType, expected):
            return "\(path): tensor '\(tensor)' has data type \(dataType), expected \(expected)"
        case let .notRawData(path, tensor):
            return "\(path): tensor '\(tensor)' is stored in a typed field, not raw_data; read it with a typed accessor"
        case let .nodeNotFound(path, name):
            return "\(path): no node named '\(name)'"
        case let .invalidNode(path, node, reason):
            return "\(path): node '\(node)': \(reason)"
        case let .invalidQuantization(path, name, reason):
            return "\(path): quantized weight '\(name)': \(reason)"
        }
    }
}
