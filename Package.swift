// swift-tools-version:6.0
import PackageDescription


let package = Package(
    name: "Kiln",
    platforms: [.macOS(.v15)],
    products: [
        // `kiln` is a small C launcher that runs warm cases (a cached or compiled module) without
        // loading Swift, Foundation or LLVM, and execs `kiln-full`, the Swift command line, for
        // everything else; both are installed side by side. Build both products.
        .executable(name: "kiln", targets: ["kiln"]),
        .executable(name: "kiln-full", targets: ["kiln-full"]),
        // A host that only loads compiled modules depends on swift/KilnRuntime instead, whose
        // `Kiln` product is the same sources without this package's dependencies.
        .library(name: "Kiln", targets: ["Kiln"]),
        .library(name: "KilnCompiler", targets: ["KilnCompiler"]),
        // The on-disk compilation cache, for Swift programs that compile and load through it.
        .library(name: "KilnCache", targets: ["KilnCache"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The C runtime, also built standalone by runtime-c/Makefile for C hosts.
        .target(
            name: "KilnRuntimeC",
            path: "runtime-c",
            exclude: ["Makefile", "examples", "tests", "bench"],
            sources: ["src"],
            publicHeadersPath: "include",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread"), .linkedLibrary("m")]
        ),
        // The LLVM 19 C API (Debian's llvm-19-dev, installed by scripts/setup) as a Clang module.
        // Only the LLVM bridge, the lowering and the compiler driver depend on it: decoding and
        // validation never touch LLVM.
        // known_cpu.cpp uses LLVM's C++ API for the one query the C API lacks; LLVM is built
        // without RTTI, so that file is too.
        .target(name: "CLLVM", cxxSettings: [.unsafeFlags(["-fno-rtti"])]),
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
        // The on-disk compilation cache: content-addressed, crash-safe, size-capped (DESIGN.md, 7).
        .target(
            name: "KilnCache",
            dependencies: ["KilnCompiler", "Kiln", "CKilnCache", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // memfd_create and file seals for the cache, which Swift's Glibc module does not expose.
        .target(name: "CKilnCache", cSettings: [.define("_GNU_SOURCE")]),
        // Test helper: one process using the cache, spawned many at once by KilnCacheTests.
        // Not a user tool.
        .executableTarget(name: "kiln-cache-probe", dependencies: ["KilnCache", "Kiln"], path: "Sources/KilnCacheProbe"),
        // The front end's coverage-guided fuzzing harness (scripts/fuzz-frontend builds it with
        // libFuzzer); built plainly, it replays inputs. Not a user tool.
        .executableTarget(name: "kiln-fuzz-frontend", dependencies: ["KilnFrontend"], path: "Sources/KilnFrontendFuzz"),
        // The .wast spec-script runner.
        .target(
            name: "KilnWast",
            dependencies: ["Kiln", "KilnCompiler", .product(name: "WAT", package: "WasmKit")]
        ),
        .target(
            name: "KilnCLI",
            dependencies: [
                "Kiln", "KilnCompiler", "KilnWast", "KilnCache",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "WAT", package: "WasmKit"),
                // `kiln bench` runs the same module in WasmKit's interpreter to compare with.
                .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "WasmKitWASI", package: "WasmKit"),
                .product(name: "WASI", package: "WasmKit"),  // WASIExitCode, not re-exported
            ]
        ),
        // The Swift command line (command name still "kiln": help and errors read the same).
        // Linked with mimalloc (Debian's libmimalloc-dev), which takes over malloc for the whole
        // process, LLVM included: LLVM allocates and frees millions of small objects per module,
        // and glibc's allocator cost about 10% of a fast-tier compile (docs/compile-time.md).
        .executableTarget(name: "kiln-full", dependencies: ["KilnCLI"], linkerSettings: [.linkedLibrary("mimalloc")]),
        // The launcher: plain C on the runtime and the cache's C side, no Swift runtime and no
        // LLVM library (Sources/KilnLauncher/launcher.h). LLVM's headers only give it the
        // version `kiln --version` prints. SwiftPM links executables with the Swift driver, which
        // adds the Swift runtime: linking its standard library statically, with the two functions
        // swiftrt.o calls defined in the launcher, pulls none of it in, and link/ holds an empty
        // libstdc++ for the -lstdc++ that such a link asks for (see the file).
        .executableTarget(
            name: "kiln",
            dependencies: ["KilnRuntimeC", "CKilnCache"],
            path: "Sources/KilnLauncher",
            exclude: ["link"],
            cSettings: [.define("_GNU_SOURCE"), .headerSearchPath("../CLLVM/include")],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-L", Context.packageDirectory + "/Sources/KilnLauncher/link"])]
        ),
        // The Swift host example of docs/embedding.md: load, call, reload, unload. Run by KilnTests.
        .executableTarget(name: "kiln-reload-example", dependencies: ["Kiln"], path: "Sources/KilnReloadExample"),

        .testTarget(name: "KilnFrontendTests", dependencies: ["KilnFrontend", .product(name: "WAT", package: "WasmKit")]),
        // Numeric and SIMD lowering, run through LLVM's ORC JIT against the spec suite's values.
        .testTarget(
            name: "KilnLoweringTests",
            dependencies: ["KilnLowering", .product(name: "WAT", package: "WasmKit")]
        ),
        .testTarget(
            name: "KilnCompilerTests",
            dependencies: ["KilnCompiler", "Kiln", .product(name: "WAT", package: "WasmKit")]
        ),
        .testTarget(
            name: "KilnWastTests",
            dependencies: ["KilnWast", "Kiln", "KilnCompiler", .product(name: "WAT", package: "WasmKit")],
            exclude: ["Fixtures"]
        ),
        // The Swift API over the runtime, end to end (compiles small modules with the real compiler).
        .testTarget(
            name: "KilnTests",
            dependencies: ["Kiln", "KilnCompiler", "kiln-reload-example", .product(name: "WAT", package: "WasmKit")]
        ),
        // The kiln command line end to end: spawns the built `kiln` with a scratch cache.
        // Both executables: the launcher and the kiln-full it execs.
        .testTarget(name: "KilnCLITests", dependencies: ["kiln", "kiln-full", .product(name: "WAT", package: "WasmKit")]),
        // The cache's safety properties, with real processes (builds kiln-cache-probe first).
        .testTarget(
            name: "KilnCacheTests",
            dependencies: ["KilnCache", "Kiln", "KilnCompiler", "kiln-cache-probe", .product(name: "WAT", package: "WasmKit")]
        ),
    ]
)
