// swift-tools-version:6.0
import PackageDescription


let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kiln", targets: ["kiln"]),
        .library(name: "Kiln", targets: ["Kiln"]),
        .library(name: "KilnCompiler", targets: ["KilnCompiler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The C runtime, also built standalone by runtime-c/Makefile for C hosts.
        .target(
            name: "KilnRuntimeC",
            path: "runtime-c",
            exclude: ["Makefile", "examples", "tests"],
            sources: ["src"],
            publicHeadersPath: "include",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread"), .linkedLibrary("m")]
        ),
        // The LLVM 19 C API (Debian's llvm-19-dev, installed by scripts/setup) as a Clang module.
        // Only the LLVM bridge, the lowering and the compiler driver depend on it: decoding and
        // validation never touch LLVM.
        .target(name: "CLLVM"),
        // Decoding and validation: no LLVM.
        .target(
            name: "KilnFrontend",
            dependencies: [.product(name: "WasmParser", package: "WasmKit")]
        ),
        // A thin, typed layer over the LLVM C API.
        .target(name: "KilnLLVM", dependencies: ["CLLVM"]),
        // Wasm -> LLVM IR, with the ABI taken from runtime-c/include/kiln_abi.h.
        .target(
            name: "KilnLowering",
            dependencies: ["KilnFrontend", "KilnLLVM", "KilnRuntimeC"]
        ),
        // Optimise, emit an object, link a .so, write it atomically.
        .target(
            name: "KilnCompiler",
            dependencies: ["KilnFrontend", "KilnLowering", "KilnLLVM", "KilnRuntimeC"]
        ),
        // The Swift API over the C runtime.
        .target(name: "Kiln", dependencies: ["KilnRuntimeC"]),
        // The .wast spec-script runner.
        .target(
            name: "KilnWast",
            dependencies: ["Kiln", "KilnCompiler", .product(name: "WAT", package: "WasmKit")]
        ),
        .target(
            name: "KilnCLI",
            dependencies: [
                "Kiln", "KilnCompiler", "KilnWast",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "WAT", package: "WasmKit"),
            ]
        ),
        .executableTarget(name: "kiln", dependencies: ["KilnCLI"]),

        .testTarget(name: "KilnFrontendTests", dependencies: ["KilnFrontend", .product(name: "WAT", package: "WasmKit")]),
        .testTarget(
            name: "KilnCompilerTests",
            dependencies: ["KilnCompiler", "Kiln", .product(name: "WAT", package: "WasmKit")]
        ),
        .testTarget(name: "KilnWastTests", dependencies: ["KilnWast"]),
    ]
)
