/// A memory-mapped ONNX model: its graph's nodes, initializers, inputs/outputs and opset imports.
///
/// This is a weight reader, not a runtime: architectures (e.g. BERT) map the graph's initializers and
/// quantized matmul nodes to their own weights and run their own forward pass. Initializer `raw_data` is never
/// copied at load. External data is refused with `ONNXError.externalDataUnsupported`.
public final class ONNXModelFile: @unchecked Sendable {
    public let file: MappedFile
    public var path: String { file.path }
    public let irVersion: Int64
    public let producerName: String
    public let producerVersion: String
    public let opsetImports: [ONNXOpsetImport]
    public let graphName: String
    public let nodes: [ONNXNode]
    public let initializers: [ONNXTensor]
    public let inputs: [ONNXValueInfo]
    public let outputs: [ONNXValueInfo]
    private let initializerIndex: [String: Int]
    private let nodeIndex: [String: Int]

    public convenience init(path: String) throws {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch let e as MappedFileError { throw ONNXError.cannotRead(e) }
        try self.init(file: mapped)
    }

    /// Parses `ModelProto` (ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8).
    public init(file: MappedFile) throws {
        self.file = file
        var reader = ProtoWireReader(file: file, context: "ModelProto")
        var ir: Int64 = 0
        var producer = "", producerVersion = ""
        var opsets: [ONNXOpsetImport] = []
        var graph: ONNXGraphParts?
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch (field, wire) {
            case (1, .varint): ir = try reader.readInt64(what: "ir_version")
            case (2, .lengthDelimited): producer = try reader.readString(what: "producer_name")
            case (3, .lengthDelimited): producerVersion = try reader.readString(what: "producer_version")
            case (7, .lengthDelimited):
                let r = try reader.readLengthDelimited(what: "graph")
                guard graph == nil else { throw ONNXError.malformed(path: file.path, offset: r.lowerBound, reason: "ModelProto has two graphs") }
                var sub = reader.submessage(r, context: "GraphProto")
                graph = try ONNXGraphParts.parse(&sub)
            case (8, .lengthDelimited):
                let r = try reader.readLengthDelimited(what: "opset_import")
                var sub = reader.submessage(r, context: "opset_import")
                opsets.append(try Self.parseOpset(&sub))
            case (1, _), (2, _), (3, _), (7, _), (8, _):
                throw reader.wrongWireType(wire, field: field, name: "ModelProto field")
            default:
                try reader.skip(wire, field: field)
            }
        }
        guard let graph else { throw ONNXError.missingGraph(path: file.path) }
        irVersion = ir
        producerName = producer
        self.producerVersion = producerVersion
        opsetImports = opsets
        graphName = graph.name
        nodes = graph.nodes
        initializers = graph.initializers
        inputs = graph.inputs
        outputs = graph.outputs

        var index: [String: Int] = [:]
        for (i, t) in graph.initializers.enumerated() {
            guard index.updateValue(i, forKey: t.name) == nil else { throw ONNXError.duplicateInitializer(path: file.path, name: t.name) }
        }
        initializerIndex = index
        var nodeIndex: [String: Int] = [:]
        for (i, n) in graph.nodes.enumerated() where !n.name.isEmpty { nodeIndex[n.name] = nodeIndex[n.name] ?? i }
        self.nodeIndex = nodeIndex
        try checkOpsetsCoverNodes()
    }

    private static func parseOpset(_ reader: inout ProtoWireReader) throws -> ONNXOpsetImport {
        var domain = "", version: Int64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.readTag()
            switch (field, wire) {
            case (1, .lengthDelimited): domain = try reader.readString(what: "domain")
            case (2, .varint): version = try reader.readInt64(what: "version")
            default: try reader.skip(wire, field: field)
            }
        }
        return ONNXOpsetImport(domain: domain, version: version)
    }

    /// Every node's domain must be imported (as the ONNX checker requires); a model cut short after its
    /// graph would otherwise look valid.
    private func checkOpsetsCoverNodes() throws {
        let imported = Set(opsetImports.map { $0.domain == "ai.onnx" ? "" : $0.domain })
        for n in nodes {
            let domain = n.domain == "ai.onnx" ? "" : n.domain
            guard imported.contains(domain) else {
                throw ONNXError.invalidNode(
                    path: path, node: n.name, reason: "operator domain '\(domain.isEmpty ? "ai.onnx" : domain)' has no opset_import (file truncated or invalid)")
            }
        }
    }

    /// The opset version imported for a domain ("" = default ONNX domain).
    public func opsetVersion(domain: String) -> Int64? {
        opsetImports.first { $0.domain == domain }?.version
    }

    public func hasInitializer(_ name: String) -> Bool { initializerIndex[name] != nil }

    public func initializer(_ name: String) throws -> ONNXTensor {
        if let i = initializerIndex[name] { return initializers[i] }
        let suggestion = initializers.first { $0.name.hasSuffix("." + name) || name.hasSuffix("." + $0.name) }?.name
        throw ONNXError.initializerNotFound(path: path, name: name, suggestion: suggestion)
    }

    public func node(named name: String) throws -> ONNXNode {
        guard let i = nodeIndex[name] else { throw ONNXError.nodeNotFound(path: path, name: name) }
        return nodes[i]
    }

    /// Nodes of one operator type, in graph order (`domain` nil matches any domain).
    public func nodes(opType: String, domain: String? = nil) -> [ONNXNode] {
        nodes.filter { $0.opType == opType && (domain == nil || $0.domain == domain) }
    }

    /// Nodes that read the value `name`.
    public func consumers(of name: String) -> [ONNXNode] {
        nodes.filter { $0.inputs.contains(name) }
    }

    /// The node that writes the value `name`, if any (initializers and graph inputs have none).
    public func producer(of name: String) -> ONNXNode? {
        nodes.first { $0.outputs.contains(name) }
    }
}
