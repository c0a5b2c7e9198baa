import Foundation
import Kiln

/// `kiln run --timeout`: interrupts the instance once the time is up, unless disarmed first.
/// Disarming waits for an interrupt under way, so the instance can be closed right after.
final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var target: Instance.Interrupter?

    init(_ interrupter: Instance.Interrupter, after seconds: Double?) {
        guard let seconds else { return }
        target = interrupter
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            lock.withLock { target?.interrupt() }
        }
    }

    func disarm() {
        lock.withLock { target = nil }
    }
}
