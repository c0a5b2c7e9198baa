import KilnRuntimeC

/// A view of a linear memory.
///
/// The base address never moves: Kiln reserves a memory's whole range up front and `memory.grow`
/// only changes page protection, so a pointer taken from `baseAddress` stays valid (and sees the
/// same bytes) across growth. Only `byteCount` changes; read `bytes` again after a call that may
/// have grown the memory. The view keeps its owner alive; it ends early only if the owning
/// instance is explicitly closed.
public struct Memory {
    private enum Source {
        /// Memory number `index` of an instance: also reachable when not exported.
        case instance(Instance, UInt32)
        /// A memory object (an export or a host-created memory); `owner` keeps it alive.
        case object(UnsafeMutablePointer<kiln_memory>, owner: AnyObject)
    }

    private let source: Source

    init(instance: Instance, index: UInt32) { source = .instance(instance, index) }
    init(raw: UnsafeMutablePointer<kiln_memory>, owner: AnyObject) { source = .object(raw, owner: owner) }

    /// Creates a memory owned by the host, to give to instances as an import.
    public static func create(minPages: UInt32, maxPages: UInt32? = nil) throws(KilnError) -> Memory {
        var error: OpaquePointer?
        guard let raw = kiln_memory_new(minPages, maxPages ?? UInt32.max, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create memory")
        }
        return Memory(raw: raw, owner: Releaser { kiln_memory_release(raw) })
    }

    /// Creates a 64-bit memory (memory64), which only an import declared `i64` accepts.
    public static func create64(minPages: UInt64, maxPages: UInt64? = nil) throws(KilnError) -> Memory {
        var error: OpaquePointer?
        guard let raw = kiln_memory_new64(minPages, maxPages ?? UInt64.max, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create memory")
        }
        return Memory(raw: raw, owner: Releaser { kiln_memory_release(raw) })
    }

    /// Creates a shared memory (threads), which only an import declared `shared` accepts:
    /// instances on different threads that import it share its bytes, its atomics and its
    /// waiters. A shared memory must have a maximum.
    public static func createShared(minPages: UInt32, maxPages: UInt32) throws(KilnError) -> Memory {
        var error: OpaquePointer?
        guard let raw = kiln_memory_new_shared(minPages, maxPages, &error) else {
            throw KilnError(consuming: error, fallback: "cannot create memory")
        }
        return Memory(raw: raw, owner: Releaser { kiln_memory_release(raw) })
    }

    /// The C memory object, when this view has one (needed to pass the memory as an import).
    var raw: UnsafeMutablePointer<kiln_memory>? {
        if case .object(let raw, _) = source { raw } else { nil }
    }

    /// Start of the memory; nil only if the owning instance was closed.
    public var baseAddress: UnsafeMutableRawPointer? {
        switch source {
        case .instance(let instance, let index):
            instance.raw.flatMap { kiln_memory_data($0, index) }.map(UnsafeMutableRawPointer.init)
        case .object(let raw, _):
            kiln_memory_base(raw).map(UnsafeMutableRawPointer.init)
        }
    }

    /// Current size in bytes.
    public var byteCount: Int {
        switch source {
        case .instance(let instance, let index): instance.raw.map { Int(kiln_memory_size($0, index)) } ?? 0
        case .object(let raw, _): Int(kiln_memory_bytes(raw))
        }
    }

    /// The memory's current bytes.
    public var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: baseAddress, count: baseAddress == nil ? 0 : byteCount)
    }
}

/// Runs a release function when the last Swift reference goes away: how host-created C objects
/// (memories, tables, globals) are tied to Swift lifetimes.
final class Releaser {
    private let release: () -> Void
    init(_ release: @escaping () -> Void) { self.release = release }
    deinit { release() }
}
