import Foundation
import Inference
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    /// FIPS 180-4 examples (NIST "SHA256.pdf" / "SHA2_Additional.pdf").
    @Test func fipsVectors() {
        #expect(SHA256.hexHash("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexHash("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(SHA256.hexHash(m896.utf8) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hexHash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIsThirtyTwoBytes() {
        var hasher = SHA256()
        hasher.update("abc".utf8)
        let digest = hasher.finalize()
        #expect(digest.count == SHA256.digestByteCount)
        #expect(Array(digest.prefix(4)) == [0xba, 0x78, 0x16, 0xbf])
    }

    /// Lengths around the 55/56/64-byte padding boundaries, against hashlib + sha256sum values.
    @Test func goldenStreamLengths() throws {
        let golden = try ModelStoreTestSupport.golden()
        #expect(golden.stream.count >= 10)
        for item in golden.stream {
            let bytes = ModelStoreTestSupport.lcgBytes(seed: item.seed, count: item.length)
            #expect(SHA256.hexHash(bytes) == item.sha256, "length \(item.length)")
        }
    }

    /// Splitting the message into chunks of any size must not change the digest.
    @Test(arguments: [1, 7, 55, 63, 64, 65, 127, 4096, 65_537])
    func chunkingDoesNotMatter(chunk: Int) throws {
        let golden = try ModelStoreTestSupport.golden()
        let item = try #require(golden.stream.last)
        let bytes = ModelStoreTestSupport.lcgBytes(seed: item.seed, count: item.length)
        var hasher = SHA256()
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let n = min(chunk, all.count - offset)
                hasher.update(UnsafeRawBufferPointer(rebasing: all[offset..<offset + n]))
                offset += n
            }
        }
        #expect(hasher.finalizeHex() == item.sha256)
    }

    /// The store hashes ~250 MB model files; this must take seconds, not minutes (release build). Measured in
    /// this thread's CPU time, so other work on a shared machine does not make it fail.
    @Test func throughput() {
        let megabytes = 64
        let block = ModelStoreTestSupport.lcgBytes(seed: 3, count: 1 << 20)
        var hasher = SHA256()
        let start = Self.threadCPUSeconds()
        block.withUnsafeBytes { buffer in
            for _ in 0..<megabytes { hasher.update(buffer) }
        }
        _ = hasher.finalize()
        let seconds = Self.threadCPUSeconds() - start
        let rate = Double(megabytes) / seconds
        print("SHA-256: \(megabytes) MiB in \(String(format: "%.2f", seconds)) s of CPU = \(Int(rate)) MiB/s")
        #expect(rate > 100, "SHA-256 runs at \(Int(rate)) MiB/s; a 250 MB model would take \(Int(250 / rate)) s")
    }

    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
