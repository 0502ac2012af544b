/// Decoding of `GraphProto`, `NodeProto`, `AttributeProto` and `ValueInfoProto` (field numbers from `onnx/onnx.proto`).
/// Unknown fields are skipped with their lengths checked.
struct ONNXGraphParts {
    var name = ""
    var nodes: [ONNXNode] = []
    var initializers: [ONNXTensor] = []
    var inputs: [ONNXValueInfo] = []
    var outputs: [ONNXValueInfo] = []

    static func parse(_ reader: inout ProtoWireReader) throws -> ONNXGraphParts {
        var g = ONNXGraphParts()
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            guard [1, 2, 5, 11, 12].contains(field) else { try reader.skip(wire, field: field); continue }
            guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "GraphProto field") }
            let r = try reader.readLengthDelimited(what: "GraphProto field \(field)")
            switch field {
            case 1:
                var sub = reader.submessage(r, context: "NodeProto #\(g.nodes.count)")
                g.nodes.append(try parseNode(&sub))
            case 2:
                g.name = String(decoding: reader.file.bytes(r), as: UTF8.self)
            case 5:
                var sub = reader.submessage(r, context: "initializer #\(g.initializers.count)")
                g.initializers.append(try ONNXTensor.parse(&sub))
            case 11, 12:
                var sub = reader.submessage(r, context: field == 11 ? "graph input" : "graph output")
                let info = try parseValueInfo(&sub)
                if field == 11 { g.inputs.append(info) } else { g.outputs.append(info) }
            default:
                break
            }
        }
        return g
    }

    private static func parseNode(_ reader: inout ProtoWireReader) throws -> ONNXNode {
        var name = "", opType = "", domain = ""
        var inputs: [String] = [], outputs: [String] = []
        var attributeRanges: [Range<Int>] = []
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            guard [1, 2, 3, 4, 5, 7].contains(field) else { try reader.skip(wire, field: field); continue }
            guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "NodeProto field") }
            switch field {
            case 1: inputs.append(try reader.readString(what: "input"))
            case 2: outputs.append(try reader.readString(what: "output"))
            case 3: name = try reader.readString(what: "name")
            case 4: opType = try reader.readString(what: "op_type")
            case 5: attributeRanges.append(try reader.readLengthDelimited(what: "attribute"))
            default: domain = try reader.readString(what: "domain")
            }
        }
        // Attributes are parsed once the node's name is known, so their errors can name it.
        let nodeLabel = "node '\(name)' (\(opType))"
        var attributes: [ONNXAttribute] = []
        for r in attributeRanges {
            var sub = reader.submessage(r, context: "attribute of \(nodeLabel)")
            attributes.append(try parseAttribute(&sub, nodeLabel: nodeLabel))
        }
        return ONNXNode(name: name, opType: opType, domain: domain, inputs: inputs, outputs: outputs, attributes: attributes)
    }

    private static func parseAttribute(_ reader: inout ProtoWireReader, nodeLabel: String) throws -> ONNXAttribute {
        var name = ""
        var type: Int64 = 0
        var f: Float?, i: Int64?, s: String?, t: ONNXTensor?
        var floatBits: [UInt32] = [], ints: [Int64] = [], strings: [String] = [], tensors: [ONNXTensor] = []
        var sawUnsupported = false
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): name = try reader.readString(what: "attribute name")
            case (2, .fixed32): f = Float(bitPattern: try reader.readFixed32(what: "attribute f"))
            case (3, .varint): i = try reader.readInt64(what: "attribute i")
            case (4, .lengthDelimited): s = try reader.readString(what: "attribute s")
            case (5, .lengthDelimited), (10, .lengthDelimited):
                let r = try reader.readLengthDelimited(what: "attribute tensor")
                var sub = reader.submessage(r, context: "tensor in attribute '\(name)' of \(nodeLabel)")
                let tensor = try ONNXTensor.parse(&sub)
                if field == 5 { t = tensor } else { tensors.append(tensor) }
            case (7, _): try reader.readRepeatedFixed32(wire, field: field, name: "attribute floats", into: &floatBits)
            case (8, _): try reader.readRepeatedVarint(wire, field: field, name: "attribute ints", into: &ints)
            case (9, .lengthDelimited): strings.append(try reader.readString(what: "attribute strings"))
            case (20, .varint): type = try reader.readInt64(what: "attribute type")
            case (1, _), (2, _), (3, _), (4, _), (5, _), (9, _), (10, _), (20, _):
                throw reader.wrongWireType(wire, field: field, name: "AttributeProto field")
            case (6, _), (11, _), (14, _), (15, _), (22, _), (23, _):
                sawUnsupported = true
                try reader.skip(wire, field: field)
            default:
                try reader.skip(wire, field: field)
            }
        }
        let value: ONNXAttributeValue
        switch type {
        case 1: value = .float(f ?? 0)
        case 2: value = .int(i ?? 0)
        case 3: value = .string(s ?? "")
        case 4:
            guard let t else {
                throw ONNXError.invalidNode(path: reader.file.path, node: nodeLabel, reason: "attribute '\(name)' is TENSOR but has no tensor")
            }
            value = .tensor(t)
        case 6: value = .floats(floatBits.map { Float(bitPattern: $0) })
        case 7: value = .ints(ints)
        case 8: value = .strings(strings)
        case 9: value = .tensors(tensors)
        case 0:
            // Very old writers omit `type`: infer it from the field that is set.
            if let t { value = .tensor(t) } else if let s { value = .string(s) } else if let f { value = .float(f) }
            else if let i { value = .int(i) } else if !floatBits.isEmpty { value = .floats(floatBits.map { Float(bitPattern: $0) }) }
            else if !ints.isEmpty { value = .ints(ints) } else if !strings.isEmpty { value = .strings(strings) }
            else if !tensors.isEmpty { value = .tensors(tensors) } else { value = .unsupported(type: sawUnsupported ? -1 : 0) }
        default: value = .unsupported(type: type)
        }
        return ONNXAttribute(name: name, value: value)
    }

    /// `ValueInfoProto`: name (1) and `type` (2) → `TypeProto.tensor_type` (1) → `elem_type` (1).
    private static func parseValueInfo(_ reader: inout ProtoWireReader) throws -> ONNXValueInfo {
        var name = ""
        var elementType: Int32?
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): name = try reader.readString(what: "value name")
            case (2, .lengthDelimited):
                let r = try reader.readLengthDelimited(what: "value type")
                var typeProto = reader.submessage(r, context: "type of '\(name)'")
                while !typeProto.isAtEnd {
                    let (tf, tw) = try typeProto.readTag()
                    guard tf == 1, tw == .lengthDelimited else { try typeProto.skip(tw, field: tf); continue }
                    let tr = try typeProto.readLengthDelimited(what: "tensor_type")
                    var tensorType = typeProto.submessage(tr, context: "tensor type of '\(name)'")
                    while !tensorType.isAtEnd {
                        let (ef, ew) = try tensorType.readTag()
                        if ef == 1, ew == .varint {
                            elementType = Int32(truncatingIfNeeded: try tensorType.readInt64(what: "elem_type"))
                        } else {
                            try tensorType.skip(ew, field: ef)
                        }
                    }
                }
            default: try reader.skip(wire, field: field)
            }
        }
        return ONNXValueInfo(name: name, elementType: elementType)
    }
}
