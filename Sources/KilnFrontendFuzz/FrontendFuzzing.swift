import Foundation
import KilnFrontend

/// The coverage-guided fuzzing harness of the front end (issue 12): every input goes through
/// what `kiln compile` does before LLVM — decoding, module validation and the validation of
/// every function body — under the default features and again with every supported proposal on
/// (legacy exceptions included), since some bytes decode differently under each. A malformed or
/// invalid module must come back as a `WasmError`; anything else (a crash, a trap in Swift code,
/// a hang) is a bug that libFuzzer reports with the input that caused it.
///
/// `scripts/fuzz-frontend` builds this with `-sanitize=fuzzer`, where libFuzzer calls
/// `LLVMFuzzerTestOneInput` and provides `main`. Built plainly, it is a replay tool: each file
/// named on the command line goes through the same function (how a found crash is reproduced).
@_cdecl("LLVMFuzzerTestOneInput")
public func frontendFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for features in [FeatureSet.default, .allSupported] {
        _ = try? ModuleDecoder.decodeAndValidate(bytes, features: features)
    }
    return 0
}

@main
struct FrontendFuzzMain {
    static func main() {
        #if KILN_LIBFUZZER
        // libFuzzer's own `main` would be the program's, but SwiftPM names every executable's
        // entry point itself; its driver, called from here, does the same.
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { frontendFuzzOneInput($0, $1) })
        #else
        replay(CommandLine.arguments.dropFirst())
        #endif
    }

    static func replay(_ paths: ArraySlice<String>) {
        if paths.isEmpty {
            FileHandle.standardError.write(Data("usage: kiln-fuzz-frontend FILE...  (replays inputs through the fuzzing harness)\n".utf8))
            exit(2)
        }
        for path in paths {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("kiln-fuzz-frontend: cannot read \(path)\n".utf8))
                exit(1)
            }
            _ = bytes.withUnsafeBytes { frontendFuzzOneInput($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
            print("\(path): ok")
        }
    }
}

#if KILN_LIBFUZZER
/// libFuzzer's entry point for a program with a `main` of its own (FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
