#if canImport(Glibc)
import Glibc
#endif
import Kiln

/// `kiln run --max-stack SIZE`: the program runs on a thread of its own whose stack holds SIZE
/// for Wasm plus room for kiln and the runtime, with the runtime's cap at SIZE, so that SIZE is
/// what the program gets whether it is below or above the main thread's stack (8 MiB under the
/// usual `ulimit -s`).
enum StackThread {
    /// Room beyond SIZE: the runtime's margin (256 KiB) and kiln's own frames down to the call.
    private static let overhead = 1 << 20

    /// Runs `body` on a thread with `maximumBytes` of stack for Wasm, or on this one when nil.
    static func run(maximumBytes: UInt64?, _ body: () throws -> Void) throws {
        guard let maximumBytes else { return try body() }
        try withoutActuallyEscaping(body) { work in
            let job = Job(stackBytes: Int(clamping: maximumBytes), work: work)
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            let (size, overflow) = job.stackBytes.addingReportingOverflow(overhead)
            pthread_attr_setstacksize(&attributes, overflow ? Int.max : size)
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            guard pthread_create(&thread, &attributes, { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context) == 0 else {
                Unmanaged<Job>.fromOpaque(context).release()
                throw InputError("--max-stack: cannot start a thread with a stack of \(SizeText.format(maximumBytes))")
            }
            pthread_join(thread, nil)
            if let error = job.error { throw error }
        }
    }

    /// What the thread runs, and the error it hands back; pthread_join orders the accesses.
    private final class Job: @unchecked Sendable {
        let stackBytes: Int
        let work: () throws -> Void
        var error: (any Error)?

        init(stackBytes: Int, work: @escaping () throws -> Void) {
            (self.stackBytes, self.work) = (stackBytes, work)
        }

        func run() {
            WasmStack.limit(toBytes: stackBytes)
            do { try work() } catch { self.error = error }
        }
    }
}
