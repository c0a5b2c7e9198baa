#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Runs a task for each number of `order`, in that order, on at most `jobs` threads, and returns
/// when all are done.
///
/// Threads, not Dispatch: LLVM recurses deeply on large functions and wants the stack a
/// compiler's main thread has, more than a Dispatch worker's 512 KiB. One task, or one job, runs
/// on the calling thread.
enum WorkerThreads {
    static let stackSize = 64 << 20

    static func run(_ order: [Int], jobs: Int, _ task: @escaping @Sendable (Int) -> Void) {
        let threadCount = min(max(1, jobs), order.count)
        guard threadCount > 1 else {
            order.forEach(task)
            return
        }
        let next = Atomic<Int>(0)
        let work: @Sendable () -> Void = {
            while true {
                let position = next.add(1, ordering: .relaxed).oldValue
                guard position < order.count else { return }
                task(order[position])
            }
        }
        var threads: [pthread_t] = []
        for _ in 1..<threadCount {
            if let thread = spawn(work) { threads.append(thread) }
        }
        work()  // the calling thread is a worker too
        for thread in threads { pthread_join(thread, nil) }
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// nil if the system refuses a thread; the remaining workers then do its share.
    private static func spawn(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return thread
    }
}
