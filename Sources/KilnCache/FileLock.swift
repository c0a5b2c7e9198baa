import Foundation

/// An exclusive `flock` on a lock file, released when the object goes away (and by the kernel if
/// the process dies, so a killed compiler never leaves a key locked).
final class FileLock {
    private let fd: Int32
    private let path: String

    /// Locks `path`, creating it if needed. With `wait: false`, returns nil at once if another
    /// process holds it.
    ///
    /// Lock files are deleted when their entry is evicted, so the file locked may have been
    /// unlinked between our open and our flock, and a newcomer would then lock a fresh file of the
    /// same name: after locking, check the name still refers to the file we hold, and retry if not.
    init?(path: String, wait: Bool) throws {
        self.path = path
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CacheError("cannot open the lock \(path): \(errnoText())") }
            var result: Int32
            repeat {
                result = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB))
            } while result != 0 && errno == EINTR
            if result != 0 {
                let failure = errno
                close(fd)
                if failure == EWOULDBLOCK { return nil }
                throw CacheError("cannot lock \(path): \(String(cString: strerror(failure)))")
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                self.fd = fd
                return
            }
            close(fd)
        }
    }

    /// Deletes the lock file while still holding it, then releases it (for an evicted entry).
    func removeFile() { unlink(path) }

    deinit { close(fd) }
}
