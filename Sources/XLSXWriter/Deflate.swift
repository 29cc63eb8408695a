import CZlib

/// zlib could not set up a DEFLATE stream (it needs about 270 KB) or refused its input.
struct DeflateFailed: Error, Sendable {
    var status: Int32
}

/// Raw DEFLATE (RFC 1951, windowBits −15: no zlib or gzip wrapper, as in ZIP) by zlib's streaming
/// `deflate`, one stream per ZIP entry.
///
/// Level 1 (zlib's fastest matcher, dynamic Huffman codes; memory level 8): sheet XML comes out about
/// a sixth smaller than with the fixed-Huffman encoder this replaced, at most a fifth slower end to
/// end; levels 2 and 3 buy 1–4 % more for up to 50 % more time (figures in docs/benchmarks.md).
/// Memory is constant: zlib's state (window, hash chains, pending output — about 270 KB) plus a
/// 64 KiB output buffer, whatever the size of the entry.
final class DeflateEncoder {
    static let level: Int32 = 1
    private static let bufferSize = 64 * 1024

    /// zlib keeps a pointer back to the z_stream: it must not move, so it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private let buffer: UnsafeMutablePointer<UInt8>

    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        buffer = .allocate(capacity: Self.bufferSize)
        let status = deflateInit2_(stream, Self.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            buffer.deallocate()
            throw DeflateFailed(status: status)
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        buffer.deallocate()
    }

    /// Compresses `input`, appending whatever output zlib has ready to `output` (zlib may hold some back).
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        guard var base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = input.count
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = uInt(n)
            try run(Z_NO_FLUSH, into: &output)
            base += n
            remaining -= n
        }
    }

    /// Ends the stream (the final block), appending the rest of the output.
    func finish(into output: inout [UInt8]) throws {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(Z_FINISH, into: &output)
    }

    /// Calls `deflate` until it has taken all input (`Z_NO_FLUSH`) or ended the stream (`Z_FINISH`).
    private func run(_ flush: Int32, into output: inout [UInt8]) throws {
        while true {
            stream.pointee.next_out = buffer
            stream.pointee.avail_out = uInt(Self.bufferSize)
            let status = deflate(stream, flush)
            let produced = Self.bufferSize - Int(stream.pointee.avail_out)
            output.append(contentsOf: UnsafeBufferPointer(start: buffer, count: produced))
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress possible, i.e. nothing left to do for Z_NO_FLUSH.
                if flush == Z_NO_FLUSH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if status == Z_BUF_ERROR && produced == 0 { throw DeflateFailed(status: status) }
            default:
                throw DeflateFailed(status: status)
            }
        }
    }
}
