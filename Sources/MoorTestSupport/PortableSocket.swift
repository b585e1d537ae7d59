#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Socket constants spelled the same on macOS and Linux, for tests that open raw sockets.
public enum PortableSocket {
    /// SOCK_STREAM is an enum on Glibc and an Int32 on Darwin.
    public static var stream: Int32 {
        #if canImport(Darwin)
        SOCK_STREAM
        #else
        Int32(SOCK_STREAM.rawValue)
        #endif
    }
}
