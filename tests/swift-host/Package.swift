// swift-tools-version:6.0
// A host that only loads compiled modules, as a user's package would: it depends on Kiln's small
// `Kiln` product (the Swift API over the C runtime) and nothing else. scripts/test-swift-host
// builds it and checks that neither the compiler's packages (WasmKit, swift-crypto,
// swift-argument-parser) nor LLVM come with it.
import PackageDescription

let package = Package(
    name: "swift-host",
    dependencies: [.package(name: "KilnRuntime", path: "../../swift/KilnRuntime")],
    targets: [
        .executableTarget(name: "swift-host", dependencies: [.product(name: "Kiln", package: "KilnRuntime")])
    ]
)
