// swift-tools-version:6.0
// Kiln for hosts that load compiled modules: the C runtime and its Swift API, and nothing of the
// compiler (no LLVM, no WasmKit, no other package). The same sources as the main package
// (../../Package.swift), reached through symbolic links, so a host's package graph stays this
// small: `.package(path: "PATH/TO/kiln/swift/KilnRuntime")` and the product "Kiln".
import PackageDescription

let package = Package(
    name: "KilnRuntime",
    platforms: [.macOS(.v15)],
    products: [.library(name: "Kiln", targets: ["Kiln"])],
    targets: [
        .target(
            name: "KilnRuntimeC",
            path: "runtime-c",
            exclude: ["Makefile", "examples", "tests", "bench"],
            sources: ["src"],
            publicHeadersPath: "include",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread"), .linkedLibrary("m")]
        ),
        .target(name: "Kiln", dependencies: ["KilnRuntimeC"]),
    ]
)
