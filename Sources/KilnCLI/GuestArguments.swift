import ArgumentParser

/// What follows the module on the command line of `kiln run` and `kiln bench`: the program's
/// arguments (or the --invoke function's), passed on as they are. Kiln's own options come before
/// the module, as with `wasmtime run`, so `kiln run prog.wasm --help` gives --help to the program
/// and negative numbers ("-5") need no escaping.
struct GuestArguments: ParsableArguments {
    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the program, or for the --invoke function.", valueName: "arguments"))
    var raw: [String] = []

    /// The arguments, less a "--" right after the module, which earlier versions required before
    /// the program's options.
    var values: [String] { raw.first == "--" ? Array(raw.dropFirst()) : raw }
}
