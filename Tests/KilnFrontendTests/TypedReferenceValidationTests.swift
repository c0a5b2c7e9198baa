import KilnFrontend
import XCTest

/// Typed function references in the validator: reference subtyping (a function type below
/// `func`, non-null below nullable, equivalent types interchangeable), the typing of call_ref,
/// return_call_ref, ref.as_non_null, br_on_null and br_on_non_null, and the initialisation
/// rules of non-nullable locals.
final class TypedReferenceValidationTests: XCTestCase {
    func testNonNullAndConcreteReferencesAreSubtypes() throws {
        let bytes = try assemble("""
            (module
              (type $t (func (result i32)))
              (func $f (type $t) (i32.const 1))
              (elem declare func $f)
              ;; (ref $t) is a (ref null $t), a (ref func) and a funcref.
              (func (result (ref null $t)) (ref.func $f))
              (func (result (ref func)) (ref.func $f))
              (func (result funcref) (ref.func $f))
              (func (param (ref $t)) (result funcref) (local.get 0))
              ;; A type equivalent to $t (same structure, its own group) is the same type.
              (type $u (func (result i32)))
              (func (param (ref $u)) (result (ref $t)) (local.get 0)))
            """)
        XCTAssertNil(frontEndError(bytes))
    }

    func testSupertypesAreNotSubtypes() throws {
        try XCTAssertRejects("""
            (module (type $t (func)) (func (param (ref null $t)) (result (ref $t)) (local.get 0)))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (type $t (func)) (func (param funcref) (result (ref null $t)) (local.get 0)))
            """, .invalid, "type mismatch")
        // Different function types are unrelated, and extern is another hierarchy.
        try XCTAssertRejects("""
            (module (type $t (func)) (type $u (func (param i32)))
              (func (param (ref $t)) (result (ref $u)) (local.get 0)))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (func (param (ref extern)) (result funcref) (local.get 0)))
            """, .invalid, "type mismatch")
    }

    func testCallRefTakesAReferenceOfItsType() throws {
        let bytes = try assemble("""
            (module
              (type $t (func (param i32) (result i32)))
              (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0)))
              (func (param (ref $t)) (result i32) (return_call_ref $t (i32.const 2) (local.get 0))))
            """)
        XCTAssertNil(frontEndError(bytes))
        try XCTAssertRejects("""
            (module (type $t (func (param i32) (result i32)))
              (func (param funcref) (result i32) (call_ref $t (i32.const 1) (local.get 0))))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (type $t (func (param i32) (result i32)))
              (func (param (ref $t)) (result i64) (return_call_ref $t (i32.const 1) (local.get 0))))
            """, .invalid, "type mismatch")
    }

    func testNullTestsRefineTheReference() throws {
        let bytes = try assemble("""
            (module
              (type $t (func))
              (func (param (ref null $t)) (result (ref $t)) (ref.as_non_null (local.get 0)))
              (func (param (ref null $t)) (result (ref $t))
                (block (br_on_null 0 (local.get 0)) (return))
                (unreachable))
              (func (param (ref null $t)) (result (ref $t))
                (block (result (ref $t)) (br_on_non_null 0 (local.get 0)) (unreachable))))
            """)
        XCTAssertNil(frontEndError(bytes))
        try XCTAssertRejects("""
            (module (func (param i32) (drop (ref.as_non_null (local.get 0)))))
            """, .invalid, "type mismatch")
        // br_on_non_null needs a label whose last type is a reference the operand matches.
        try XCTAssertRejects("""
            (module (func (param funcref) (block (br_on_non_null 0 (local.get 0)))))
            """, .invalid, "type mismatch")
        try XCTAssertRejects("""
            (module (type $t (func))
              (func (param funcref) (result (ref $t))
                (block (result (ref $t)) (br_on_non_null 0 (local.get 0)) (unreachable))))
            """, .invalid, "type mismatch")
    }

    func testNonNullableLocalsMustBeSetBeforeUse() throws {
        let bytes = try assemble("""
            (module
              (func (param $p (ref extern)) (result (ref extern))
                (local $x (ref extern))
                (local.set $x (local.get $p))
                (block (drop (local.get $x)))
                (local.get $x)))
            """)
        XCTAssertNil(frontEndError(bytes))
        try XCTAssertRejects("""
            (module (func (local $x (ref extern)) (drop (local.get $x))))
            """, .invalid, "uninitialized local")
        // A set inside a block does not count after the block: a branch may have skipped it.
        try XCTAssertRejects("""
            (module (func (param $p (ref extern)) (local $x (ref extern))
              (block (local.set $x (local.get $p)))
              (drop (local.get $x))))
            """, .invalid, "uninitialized local")
        try XCTAssertRejects("""
            (module (func (param $p (ref extern)) (local $x (ref extern))
              (if (i32.const 1) (then (local.tee $x (local.get $p)) (drop)) (else (drop (local.get $x))))))
            """, .invalid, "uninitialized local")
    }

    func testATableOfNonNullReferencesNeedsAnInitialiser() throws {
        try XCTAssertRejects("(module (type $f (func)) (table 1 (ref $f)))", .invalid, "type mismatch")
        let bytes = try assemble("""
            (module (type $f (func)) (func $g) (table 1 (ref $f) (ref.func $g)))
            """)
        XCTAssertNil(frontEndError(bytes))
    }

    /// Equivalence is by recursion group: a group's second type differs from a lone type of the
    /// same structure.
    func testRecursionGroupsDecideEquivalence() throws {
        try XCTAssertRejects("""
            (module
              (rec (type $a (func)) (type $b (func)))
              (type $c (func))
              (func (param (ref $b)) (result (ref $c)) (local.get 0)))
            """, .invalid, "type mismatch")
        let bytes = try assemble("""
            (module
              (rec (type $a (func)) (type $b (func)))
              (rec (type $c (func)) (type $d (func)))
              (func (param (ref $b)) (result (ref $d)) (local.get 0)))
            """)
        XCTAssertNil(frontEndError(bytes))
    }

    func testTheProposalCanBeSwitchedOff() throws {
        var features = FeatureSet.default
        features.remove(.typedFunctionReferences)
        let bytes = try assemble("(module (type $t (func)) (func (param (ref $t))))")
        let error = try XCTUnwrap(frontEndError(bytes, features: features))
        XCTAssertEqual(error.feature, .typedFunctionReferences, "\(error)")
        XCTAssertNotNil(error.offset)
    }
}
