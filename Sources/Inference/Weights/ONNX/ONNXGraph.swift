/// The value of a `NodeProto` attribute. Subgraphs, sparse tensors and type protos are not read
/// (`unsupported` keeps their `AttributeType` id) since no model we run uses them.
public enum ONNXAttributeValue: @unchecked Sendable {
    case float(Float)
    case int(Int64)
    case string(String)
    case tensor(ONNXTensor)
    case floats([Float])
    case ints([Int64])
    case strings([String])
    case tensors([ONNXTensor])
    case unsupported(type: Int64)
}

public struct ONNXAttribute: @unchecked Sendable {
    public let name: String
    public let value: ONNXAttributeValue
}

/// One `NodeProto`: an operator applied to named values.
public struct ONNXNode: @unchecked Sendable {
    public let name: String
    public let opType: String
    /// "" (or "ai.onnx") for standard operators, e.g. "com.microsoft" for MatMulNBits.
    public let domain: String
    /// Input value names in operator order; "" marks an omitted optional input.
    public let inputs: [String]
    public let outputs: [String]
    public let attributes: [ONNXAttribute]

    public func attribute(_ name: String) -> ONNXAttributeValue? {
        attributes.first { $0.name == name }?.value
    }

    /// An INT attribute, or nil when absent or of another type.
    public func int(_ name: String) -> Int64? {
        if case .int(let v)? = attribute(name) { return v }
        return nil
    }

    public func float(_ name: String) -> Float? {
        if case .float(let v)? = attribute(name) { return v }
        return nil
    }

    public func string(_ name: String) -> String? {
        if case .string(let v)? = attribute(name) { return v }
        return nil
    }

    public func ints(_ name: String) -> [Int64]? {
        if case .ints(let v)? = attribute(name) { return v }
        return nil
    }

    public func tensor(_ name: String) -> ONNXTensor? {
        if case .tensor(let v)? = attribute(name) { return v }
        return nil
    }

    /// The input at `index`, or nil when the node has fewer inputs or the optional input is omitted ("").
    public func input(_ index: Int) -> String? {
        index < inputs.count && !inputs[index].isEmpty ? inputs[index] : nil
    }
}

/// A graph input or output (`ValueInfoProto`): its name and, for tensors, the element type id.
public struct ONNXValueInfo: Equatable, Sendable {
    public let name: String
    public let elementType: Int32?
}

/// An `OperatorSetIdProto`: which version of an operator domain the model was written against.
public struct ONNXOpsetImport: Equatable, Sendable {
    /// "" is the default ONNX domain.
    public let domain: String
    public let version: Int64
}
