import KilnFrontend
import XCTest

/// Sub-opcodes after 0xFC/0xFD are u32 LEB128, so over-long spellings are valid and must decode.
final class PrefixedOpcodeTests: XCTestCase {
    /// A module whose one function is `body` (no locals, type [] -> []).
    private func module(body: [UInt8]) -> [UInt8] {
        let code: [UInt8] = [0x00] + body + [0x0B]
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                0x03, 0x02, 0x01, 0x00,
                0x0A, UInt8(code.count + 2), 0x01, UInt8(code.count)] + code
    }

    func testOverLongSubOpcodesDecodeAndValidate() throws {
        // unreachable; i32.trunc_sat_f32_s as fc 80 00; unreachable; i64.trunc_sat_f64_u as fc 87 80 80 80 00;
        // unreachable (the results are dropped by the polymorphic stack)
        let bytes = module(body: [0x00, 0xFC, 0x80, 0x00, 0x00, 0xFC, 0x87, 0x80, 0x80, 0x80, 0x00, 0x00])
        let decoded = try ModuleDecoder.decodeAndValidate(bytes)
        XCTAssertEqual(decoded.codes.count, 1)
        XCTAssertEqual(decoded.codes[0].expression.count, bytes.count - 23, "the body keeps its size")
    }

    func testOverLongUnknownSubOpcodeIsStillMalformed() {
        // fc ff 7f = sub-opcode 16383, which does not exist.
        XCTAssertThrowsError(try ModuleDecoder.decodeAndValidate(module(body: [0x00, 0xFC, 0xFF, 0x7F]))) { error in
            XCTAssertEqual((error as? WasmError)?.kind, .malformed)
        }
    }
}
