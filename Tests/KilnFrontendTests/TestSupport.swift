import Foundation
import KilnFrontend
import WAT
import XCTest

/// The features Kiln's front end accepts, for assembling test modules from WAT.
let watFeatures: WasmFeatureSet = [.referenceTypes, .simd]

func assemble(_ wat: String, names: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
    try wat2wasm(wat, features: watFeatures, options: EncodeOptions(nameSection: names))
}

/// Decodes and validates, returning the error (nil if the module is valid).
func frontEndError(_ bytes: [UInt8], features: FeatureSet = .default) -> WasmError? {
    do {
        _ = try ModuleDecoder.decodeAndValidate(bytes, features: features)
        return nil
    } catch {
        return error
    }
}

func XCTAssertRejects(
    _ wat: String, _ kind: WasmError.Kind, _ messagePrefix: String, file: StaticString = #filePath, line: UInt = #line
) throws {
    let bytes = try assemble(wat)
    guard let error = frontEndError(bytes) else {
        XCTFail("accepted, expected \(kind) \"\(messagePrefix)\"", file: file, line: line)
        return
    }
    XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
    XCTAssertTrue(error.message.hasPrefix(messagePrefix), "got \"\(error.message)\", expected \"\(messagePrefix)\"", file: file, line: line)
    if let offset = error.offset {
        XCTAssertTrue(offset >= 0 && offset <= bytes.count, "offset \(offset) outside 0...\(bytes.count)", file: file, line: line)
    } else {
        XCTFail("no offset: \(error)", file: file, line: line)
    }
}

/// The official test suite, from KILN_TESTSUITE or ../shared/testsuite next to the repository.
func testsuiteDirectory(file: String = #filePath) -> URL? {
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["KILN_TESTSUITE"] {
        candidates.append(URL(fileURLWithPath: path))
    }
    let repository = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(repository.deletingLastPathComponent().appendingPathComponent("shared/testsuite"))
    candidates.append(URL(fileURLWithPath: "/work/shared/testsuite"))
    return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("wasm-2.0").path) }
}
