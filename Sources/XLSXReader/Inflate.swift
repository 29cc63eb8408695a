import CZlib

/// Why a ZIP entry's DEFLATE data could not be decoded.
enum InflateError: Error, Sendable, Equatable {
    /// The input ended before the stream did.
    case truncated
    /// Not a valid raw DEFLATE stream.
    case invalid
    /// The stream decodes to more bytes than declared (decoding stopped at the first byte too many).
    case outputTooLarge
    /// The stream ended before the declared size.
    case outputTooSmall
    /// zlib could not allocate its state (about 40 KB).
    case outOfMemory
}

/// Raw DEFLATE (RFC 1951) decoding by zlib's streaming `inflate` (windowBits −15: no zlib or gzip
/// wrapper, as in ZIP).
///
/// The output is one buffer of the declared size plus one byte, allocated before decoding: a stream
/// that writes into that extra byte decodes to more than declared and is stopped there. So whatever
/// the stream, no more than `size + 1` bytes are ever written, and the caller checks `size` against
/// `XLSXReadLimits` before calling.
enum Inflater {
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, size: Int) throws(InflateError) -> [UInt8] {
        guard size >= 0, size < Int.max else { throw .outputTooLarge }
        var failure: InflateError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            do throws(InflateError) {
                try decode(input, into: buffer, size: size)
                initialized = size
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Decodes `input` into `output` (`size + 1` bytes); succeeds only if the stream ends after exactly `size` bytes.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                               size: Int) throws(InflateError) {
        // zlib keeps a pointer back to the z_stream: it must not move, so it lives on the heap.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .outOfMemory }
        defer { inflateEnd(stream) }
        var inputGiven = 0
        var outputGiven = 0
        // avail_in and avail_out are 32-bit: hand over at most 1 GiB at a time.
        let chunk = 1 << 30
        while true {
            if stream.pointee.avail_in == 0, inputGiven < input.count, let base = input.baseAddress {
                let n = min(input.count - inputGiven, chunk)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: base + inputGiven)
                stream.pointee.avail_in = uInt(n)
                inputGiven += n
            }
            if stream.pointee.avail_out == 0, outputGiven < output.count, let base = output.baseAddress {
                let n = min(output.count - outputGiven, chunk)
                stream.pointee.next_out = base + outputGiven
                stream.pointee.avail_out = uInt(n)
                outputGiven += n
            }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let decoded = outputGiven - Int(stream.pointee.avail_out)
            if decoded > size { throw .outputTooLarge }
            switch status {
            case Z_STREAM_END:
                guard decoded == size else { throw .outputTooSmall }
                return
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: all input consumed (the output always has room, see above).
                if stream.pointee.avail_in == 0 && inputGiven == input.count { throw .truncated }
                throw .invalid
            case Z_MEM_ERROR:
                throw .outOfMemory
            default:
                // Z_DATA_ERROR (a broken stream), Z_NEED_DICT, Z_STREAM_ERROR.
                throw .invalid
            }
        }
    }
}
