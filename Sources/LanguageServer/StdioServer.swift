#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// Runs a language server on standard input and output until the client says `exit`, closes the
/// input, or its process dies. Logs go to standard error only.
public enum StdioServer {
    public static func run(analyzer: any DocumentAnalyzer = SyntaxAnalyzer(), limits: TransportLimits = .default,
                           logTimings: Bool = false) -> Never {
        signal(SIGPIPE, SIG_IGN)
        let output = OutputChannel(fileDescriptor: 1)
        let server = LanguageServer(output: output, analyzer: analyzer, logTimings: logTimings) { status in
            exit(status)
        }
        // Each event with the time the reader completed it (for `--log-timings`); nil at the end of input.
        let (stream, continuation) = AsyncStream.makeStream(of: (MessageFramer.Event, UInt64)?.self, bufferingPolicy: .unbounded)
        // One reader, on a thread of its own: blocking reads never hold up the server's actor.
        let reader = Thread {
            InputReader.run(fd: 0, limits: limits) { continuation.yield(($0, StageClock.now())) }
            continuation.yield(nil)
            continuation.finish()
        }
        reader.stackSize = 1 << 20
        reader.start()
        Task {
            for await event in stream {
                if let (event, framedAt) = event {
                    await server.receive(event, framedAt: framedAt)
                } else {
                    await server.inputEnded()
                }
            }
        }
        dispatchMain()
    }
}
