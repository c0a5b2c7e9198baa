import Kiln

/// The `spectest` host module that the spec scripts import from: print functions that accept
/// and ignore their arguments, and a memory, a table and four globals with the values the
/// reference interpreter gives them. One per script, shared by all its modules, as in the
/// reference interpreter (a module that grows the memory is seen by the next one).
final class SpectestHost {
    private static let printFunctions: [(name: String, parameters: [ValueType])] = [
        ("print", []),
        ("print_i32", [.i32]),
        ("print_i64", [.i64]),
        ("print_f32", [.f32]),
        ("print_f64", [.f64]),
        ("print_i32_f32", [.i32, .f32]),
        ("print_f64_f64", [.f64, .f64]),
    ]

    private let externs: [(name: String, extern: Extern)]

    init() throws(KilnError) {
        externs = [
            ("memory", .memory(try Memory.create(minPages: 1, maxPages: 2))),
            ("shared_memory", .memory(try Memory.createShared(minPages: 1, maxPages: 2))),
            ("table", .table(try Table.create(element: .funcRef, min: 10, max: 20))),
            ("table64", .table(try Table.create64(element: .funcRef, min: 10, max: 20))),
            ("global_i32", .global(try Global.create(.i32(666)))),
            ("global_i64", .global(try Global.create(.i64(666)))),
            ("global_f32", .global(try Global.create(.f32(666.6)))),
            ("global_f64", .global(try Global.create(.f64(666.6)))),
        ]
    }

    func define(into imports: Imports) throws(KilnError) {
        // The output of print is not part of any assertion; staying silent keeps the worker's
        // stdout (its report channel) clean.
        for function in Self.printFunctions {
            try imports.define("spectest", function.name, parameters: function.parameters, results: []) { _, _ in [] }
        }
        for (name, extern) in externs {
            try imports.define("spectest", name, extern)
        }
    }
}
