// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: franca → Orchestration → {Inference, Canonical} → Kernels → CKernels.
let package = Package(
    name: "Franca",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "franca", targets: ["franca"]),
        .library(name: "Orchestration", targets: ["Orchestration"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Canonical", targets: ["Canonical"]),
        .library(name: "Kernels", targets: ["Kernels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // Innermost SIMD kernels in C with per-function target attributes and runtime CPU dispatch.
        .target(name: "CKernels"),
        .target(name: "Kernels", dependencies: ["CKernels"]),
        .target(
            name: "Inference",
            dependencies: ["Kernels", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "Canonical"),
        .target(
            name: "Orchestration",
            dependencies: [
                "Inference", "Canonical",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "franca",
            dependencies: ["Orchestration", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        // Test-only: counts heap allocations per thread (the decode path must make none).
        .target(name: "MallocCounter", path: "Tests/MallocCounter"),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "MallocCounter"]),
        .testTarget(name: "CanonicalTests", dependencies: ["Canonical"]),
        .testTarget(name: "OrchestrationTests", dependencies: ["Orchestration"]),
        .testTarget(name: "FrancaCLITests", dependencies: ["franca"]),
    ],
    swiftLanguageModes: [.v5]
)
