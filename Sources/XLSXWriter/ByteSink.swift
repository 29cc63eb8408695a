/// Where the writer puts the bytes of the workbook, in order, as they are produced.
///
/// The writer hands over chunks of roughly `WriterOptions.flushThreshold` bytes (never holding a
/// sheet in memory); the buffer is only valid during the call. A throwing sink stops the writer,
/// which then refuses further calls (the output so far is not a usable file).
public protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects everything in memory (the non-streaming `Workbook.bytes()` uses it).
public struct ByteArraySink: ByteSink, Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }
}

/// Passes each chunk to a closure: a file handle, an HTTP response body, a pipe.
public struct ClosureSink: ByteSink {
    public let body: (UnsafeRawBufferPointer) throws -> Void

    public init(_ body: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.body = body
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try body(bytes)
    }
}

/// Counts the bytes and drops them: for measuring and for tests.
public struct CountingSink: ByteSink, Sendable {
    public private(set) var count: UInt64 = 0
    public private(set) var chunks: Int = 0
    public private(set) var largestChunk: Int = 0

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        count += UInt64(bytes.count)
        chunks += 1
        largestChunk = max(largestChunk, bytes.count)
    }
}
