import ArgumentParser
import Foundation
import Inference
import Kernels

/// `franca inspect FILE.gguf`: header, metadata and tensor table of a weights file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a GGUF file's header, metadata and tensors.",
        discussion: """
        Long metadata arrays are summarized as their length and first few elements. With --dequantize every \
        tensor is decoded once (a full integrity check; the time goes to stderr).
        Exit codes: 0 ok, 1 the file is corrupt or unsupported (the error says where), 64 usage error.
        """
    )

    @Argument(help: ArgumentHelp("The GGUF file.", valueName: "file"))
    var file: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Decode every tensor and report non-finite values and the time taken.")
    var dequantize = false

    func run() throws {
        let g: GGUFFile
        do {
            g = try GGUFFile(path: file)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var check: (seconds: Double, nonFinite: Int, elements: Int)?
        if dequantize { check = Self.decodeAll(g) }
        if json {
            let data = try JSONSerialization.data(withJSONObject: Self.jsonObject(g, check: check), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(Self.text(g, check: check))
        }
        if let check {
            FileHandle.standardError.write(Data(String(format: "dequantized %d elements in %.3f s\n", check.elements, check.seconds).utf8))
            if check.nonFinite > 0 { throw ExitCode(1) }
        }
    }

    static func decodeAll(_ g: GGUFFile) -> (Double, Int, Int) {
        let start = Date()
        var nonFinite = 0, elements = 0
        var buffer = [Float]()
        for info in g.tensorInfos {
            let t = GGUFTensor(info: info, file: g)
            let n = info.elementCount
            if buffer.count < n { buffer = [Float](repeating: 0, count: n) }
            let src = t.bytes
            buffer.withUnsafeMutableBufferPointer { dst in
                if let s = src.baseAddress, let d = dst.baseAddress, n > 0 { info.type.dequantizeRow(src: s, dst: d, count: n) }
                for i in 0..<n where !dst[i].isFinite { nonFinite += 1 }
            }
            elements += n
        }
        return (Date().timeIntervalSince(start), nonFinite, elements)
    }

    static func histogram(_ g: GGUFFile) -> String {
        g.typeHistogram.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.name)×\($0.value)" }.joined(separator: " ")
    }

    static func text(_ g: GGUFFile, check: (seconds: Double, nonFinite: Int, elements: Int)?) -> String {
        var out = "GGUF v\(g.version)  \(g.path)  (\(g.file.count) bytes)\n"
        out += "architecture: \(g.architecture ?? "-")  alignment: \(g.alignment)  data offset: \(g.dataOffset)"
        if g.legacyQ2_0Group128 { out += "  (legacy Q2_0 group 128, read as PQ2_0)" }
        out += "\n\nmetadata (\(g.metadata.count)):\n"
        for (key, value) in g.metadata {
            out += "  \(key) [\(value.type)] = \(summary(value))\n"
        }
        out += "\ntensors (\(g.tensorInfos.count)): \(histogram(g))\n"
        let nameWidth = min(48, g.tensorInfos.map(\.name.count).max() ?? 4)
        out += "  " + pad("name", nameWidth) + "  " + pad("type", 6) + "  " + pad("shape", 16) + "  " + pad("offset", 12) + "  bytes\n"
        for t in g.tensorInfos {
            let shape = "[" + t.shape.map(String.init).joined(separator: ", ") + "]"
            out += "  " + pad(t.name, nameWidth) + "  " + pad(t.type.name, 6) + "  " + pad(shape, 16) + "  "
                + pad(String(g.dataOffset + Int(t.offset)), 12) + "  \(t.byteCount)\n"
        }
        if let check {
            out += "\ndequantized \(check.elements) elements: \(check.nonFinite) non-finite\n"
        }
        return out
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func summary(_ v: GGUFValue) -> String {
        if case let .string(s) = v, s.count > 120 {
            return "\"\(s.prefix(120).replacingOccurrences(of: "\n", with: "\\n"))…\" (\(s.utf8.count) bytes)"
        }
        return v.description.replacingOccurrences(of: "\n", with: "\\n")
    }

    static let arrayPreview = 8

    static func jsonValue(_ v: GGUFValue) -> Any {
        switch v {
        case let .string(s): return s
        case let .bool(b): return b
        case let .float32(f): return Double(f)
        case let .float64(d): return d
        case let .uint64(u): return Int(exactly: u).map { $0 as Any } ?? String(u)
        case let .array(a):
            let n = min(a.count, arrayPreview)
            var o: [String: Any] = ["elementType": a.elementType.description, "count": a.count]
            o["first"] = (0..<n).map { jsonValue(a[$0]) }
            return o
        default: return v.intValue ?? 0
        }
    }

    static func jsonObject(_ g: GGUFFile, check: (seconds: Double, nonFinite: Int, elements: Int)?) -> [String: Any] {
        var md: [String: Any] = [:]
        for (k, v) in g.metadata { md[k] = ["type": v.type.description, "value": jsonValue(v)] }
        var o: [String: Any] = [
            "path": g.path, "fileSize": g.file.count, "version": Int(g.version), "alignment": g.alignment,
            "dataOffset": g.dataOffset, "architecture": g.architecture ?? NSNull(),
            "metadata": md, "metadataKeys": g.metadata.keys,
            "typeHistogram": Dictionary(uniqueKeysWithValues: g.typeHistogram.map { ($0.key.name, $0.value) }),
            "tensors": g.tensorInfos.map { t -> [String: Any] in
                ["name": t.name, "type": t.type.name, "shape": t.shape,
                 "offset": g.dataOffset + Int(t.offset), "bytes": t.byteCount]
            },
        ]
        if g.legacyQ2_0Group128 { o["legacyQ2_0Group128"] = true }
        if let check { o["dequantize"] = ["elements": check.elements, "nonFinite": check.nonFinite, "seconds": check.seconds] }
        return o
    }
}
