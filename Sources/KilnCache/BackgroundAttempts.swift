import Foundation

/// How many background compiles of a key have started without publishing, in `<key>.attempts`.
///
/// A compile that the kernel kills (out of memory) or that crashes cannot record its own
/// failure, so each compile records its attempt before it starts and removes the record when it
/// publishes. After `limit` unfinished attempts within `window`, runs stop starting compiles of
/// that key, so that a module whose optimising compile always dies does not cost one doomed
/// compile per run; after the window (or `kiln cache clear`) it is tried again. Read and written
/// only under the key's lock, by rename, like an entry's record.
struct BackgroundAttempts {
    static let limit = 3
    static let window: TimeInterval = 86_400

    let path: String

    var count = 0
    /// When the last attempt started, seconds since 1970.
    var last: Double = 0

    init(path: String) {
        self.path = path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard fields.count == 2, let count = Int(fields[0]), let last = Double(fields[1]) else { return }
        (self.count, self.last) = (count, last)
    }

    /// True when enough recent attempts have failed that no more should start.
    var exhausted: Bool {
        count >= Self.limit && Date().timeIntervalSince1970 - last < Self.window
    }

    /// Records one more attempt, starting now (a count from before the window starts again at 1).
    mutating func recordAttempt(scratch: String) throws {
        let now = Date().timeIntervalSince1970
        count = now - last < Self.window ? count + 1 : 1
        last = now
        let temporary = scratch + "/\(getpid())-\(UInt64.random(in: 0...UInt64.max)).attempts"
        do {
            try "\(count) \(last)\n".write(toFile: temporary, atomically: false, encoding: .utf8)
        } catch {
            throw CacheError("cannot write \(temporary): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let message = errnoText()
            unlink(temporary)
            throw CacheError("cannot write \(path): \(message)")
        }
    }

    func remove() { unlink(path) }
}
