// swift-host MODULE.so A B: loads a module compiled by `kiln compile`, calls its export "add"
// with A and B, prints the result.
#if canImport(Glibc)
import Glibc
#endif
import Kiln

let arguments = CommandLine.arguments
guard arguments.count == 4, let a = Int32(arguments[2]), let b = Int32(arguments[3]) else {
    print("usage: swift-host MODULE.so A B")
    exit(2)
}
do {
    let module = try Module(path: arguments[1])
    defer { module.close() }
    let instance = try module.instantiate()
    defer { instance.close() }
    guard case .i32(let sum)? = try instance.call("add", [.i32(a), .i32(b)]).first else { exit(1) }
    print(sum)
} catch {
    print("swift-host: \(error)")
    exit(1)
}
