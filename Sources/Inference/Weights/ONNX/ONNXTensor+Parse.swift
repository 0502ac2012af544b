/// Decoding and validation of `TensorProto` (field numbers from `onnx/onnx.proto`).
extension ONNXTensor {
    /// Field values collected before validation, since protobuf fields may come in any order.
    private struct Fields {
        var dims: [Int64] = []
        var dataType: Int64 = 0
        var name = ""
        var raw: Range<Int>?
        var floatBits: [UInt32] = []
        var int32s: [Int64] = []
        var int64s: [Int64] = []
        var doubleBits: [UInt64] = []
        var uint64s: [Int64] = []
        var strings: [String] = []
        var externalLocation: String?
        var hasExternalData = false
        var dataLocation: Int64 = 0
    }

    /// Parses the TensorProto in `reader` (positioned over exactly that message) and validates sizes.
    static func parse(_ reader: inout ProtoWireReader) throws -> ONNXTensor {
        var f = Fields()
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch field {
            case 1: try reader.readRepeatedVarint(wire, field: field, name: "dims", into: &f.dims)
            case 2:
                guard wire == .varint else { throw reader.wrongWireType(wire, field: field, name: "data_type") }
                f.dataType = try reader.readInt64(what: "data_type")
            case 4: try reader.readRepeatedFixed32(wire, field: field, name: "float_data", into: &f.floatBits)
            case 5: try reader.readRepeatedVarint(wire, field: field, name: "int32_data", into: &f.int32s)
            case 6:
                guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "string_data") }
                f.strings.append(try reader.readString(what: "string_data"))
            case 7: try reader.readRepeatedVarint(wire, field: field, name: "int64_data", into: &f.int64s)
            case 8:
                guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "name") }
                f.name = try reader.readString(what: "name")
            case 9:
                guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "raw_data") }
                f.raw = try reader.readLengthDelimited(what: "raw_data")
            case 10: try reader.readRepeatedFixed64(wire, field: field, name: "double_data", into: &f.doubleBits)
            case 11: try reader.readRepeatedVarint(wire, field: field, name: "uint64_data", into: &f.uint64s)
            case 13:
                guard wire == .lengthDelimited else { throw reader.wrongWireType(wire, field: field, name: "external_data") }
                f.hasExternalData = true
                let r = try reader.readLengthDelimited(what: "external_data")
                var entry = reader.submessage(r, context: "external_data of \(reader.context)")
                if let (key, value) = try parseStringPair(&entry), key == "location" { f.externalLocation = value }
            case 14:
                guard wire == .varint else { throw reader.wrongWireType(wire, field: field, name: "data_location") }
                f.dataLocation = try reader.readInt64(what: "data_location")
            default:
                try reader.skip(wire, field: field)
            }
        }
        return try validate(f, file: reader.file)
    }

    /// A `StringStringEntryProto` (key = 1, value = 2).
    static func parseStringPair(_ reader: inout ProtoWireReader) throws -> (String, String)? {
        var key: String?, value = ""
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): key = try reader.readString(what: "key")
            case (2, .lengthDelimited): value = try reader.readString(what: "value")
            default: try reader.skip(wire, field: field)
            }
        }
        return key.map { ($0, value) }
    }

    private static func validate(_ f: Fields, file: MappedFile) throws -> ONNXTensor {
        let path = file.path
        let name = f.name
        func invalid(_ reason: String) -> ONNXError { .invalidTensor(path: path, tensor: name, reason: reason) }
        if f.dataLocation == 1 || f.hasExternalData {
            throw ONNXError.externalDataUnsupported(path: path, tensor: name, location: f.externalLocation ?? "(no location)")
        }
        guard let typeID = Int32(exactly: f.dataType) else { throw invalid("data_type \(f.dataType) out of range") }
        var count = 1
        var dims: [Int] = []
        for d in f.dims {
            guard d >= 0, let di = Int(exactly: d) else { throw invalid("negative dimension \(d) in dims \(f.dims)") }
            let (p, o) = count.multipliedReportingOverflow(by: di)
            guard !o else { throw invalid("element count of dims \(f.dims) overflows") }
            count = p
            dims.append(di)
        }
        let typed: [(String, Int)] = [
            ("float_data", f.floatBits.count), ("int32_data", f.int32s.count), ("int64_data", f.int64s.count),
            ("double_data", f.doubleBits.count), ("uint64_data", f.uint64s.count), ("string_data", f.strings.count),
        ].filter { $0.1 > 0 }
        let type = ONNXDataType(rawValue: typeID)

        let storage: Storage
        if let raw = f.raw {
            guard typed.isEmpty else { throw invalid("has both raw_data and \(typed[0].0)") }
            if let type {
                guard let need = type.rawByteCount(elements: count) else {
                    throw invalid("data type \(ONNXDataType.describe(typeID)) cannot be stored in raw_data")
                }
                guard need == raw.count else {
                    throw ONNXError.rawDataSizeMismatch(
                        path: path, tensor: name, expectedBytes: "\(count) × \(ONNXDataType.describe(typeID)) = \(need)", actualBytes: raw.count)
                }
            }
            storage = .raw(raw)
        } else if typed.isEmpty {
            guard count == 0 else { throw invalid("has dims \(f.dims) but no data") }
            storage = .empty
        } else {
            guard typed.count == 1 else { throw invalid("has data in both \(typed[0].0) and \(typed[1].0)") }
            guard let type else { throw invalid("unknown data type \(typeID) in a typed field") }
            let (field, stored) = typed[0]
            let (expectedField, perElement) = typedField(for: type)
            guard field == expectedField else {
                throw invalid("\(ONNXDataType.describe(typeID)) data stored in \(field), expected \(expectedField ?? "raw_data")")
            }
            guard stored % perElement == 0, stored / perElement == count else {
                throw invalid("\(field) holds \(stored) values but dims \(f.dims) need \(count) × \(perElement)")
            }
            switch field {
            case "float_data": storage = .floatData(f.floatBits.map { Float(bitPattern: $0) })
            case "int32_data":
                storage = .int32Data(try f.int32s.map {
                    guard let v = Int32(exactly: $0) else { throw invalid("int32_data value \($0) out of range") }
                    return v
                })
            case "int64_data": storage = .int64Data(f.int64s)
            case "double_data": storage = .doubleData(f.doubleBits.map { Double(bitPattern: $0) })
            case "uint64_data": storage = .uint64Data(f.uint64s.map { UInt64(bitPattern: $0) })
            default: storage = .stringData(f.strings)
            }
        }
        return ONNXTensor(name: name, dataTypeID: typeID, dims: dims, elementCount: count, storage: storage, file: file)
    }

    /// Which typed field holds a data type, and how many entries per element (onnx.proto comments).
    private static func typedField(for type: ONNXDataType) -> (String?, Int) {
        switch type {
        case .float: return ("float_data", 1)
        case .complex64: return ("float_data", 2)
        case .int32, .int16, .int8, .uint16, .uint8, .bool, .float16, .bfloat16,
             .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0:
            return ("int32_data", 1)
        case .int64: return ("int64_data", 1)
        case .double: return ("double_data", 1)
        case .complex128: return ("double_data", 2)
        case .uint32, .uint64: return ("uint64_data", 1)
        case .string: return ("string_data", 1)
        case .uint4, .int4, .float4e2m1, .uint2, .int2: return (nil, 1)
        }
    }
}
