import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The number of framed input events not yet handed to the server (the reader adds, the loop subtracts).
final class QueuedEvents: Sendable {
    let count = Atomic<Int>(0)
}

/// Runs a language server on standard input and output until the client says `exit`, closes the
/// input, or its process dies. Logs go to standard error only.
public enum StdioServer {
    public static func run(
        analyzer: any DocumentAnalyzer = SyntaxAnalyzer(), limits: TransportLimits = .default,
        logTimings: Bool = false
    ) -> Never {
        signal(SIGPIPE, SIG_IGN)
        let output = OutputChannel(fileDescriptor: 1)
        let server = LanguageServer(output: output, analyzer: analyzer, logTimings: logTimings) { status in
            exit(status)
        }
        // Each event with the time the reader completed it (for `--log-timings`); nil at the end of input.
        let (stream, continuation) = AsyncStream.makeStream(of: (MessageFramer.Event, UInt64)?.self, bufferingPolicy: .unbounded)
        // How many framed events wait in the stream: the server analyses a burst once it has taken all of it.
        let queued = QueuedEvents()
        // One reader, on a thread of its own: blocking reads never hold up the server's actor.
        let reader = Thread {
            InputReader.run(fd: 0, limits: limits) { event in
                queued.count.add(1, ordering: .relaxed)
                continuation.yield((event, StageClock.now()))
            }
            continuation.yield(nil)
            continuation.finish()
        }
        reader.stackSize = 1 << 20
        reader.start()
        Task {
            for await event in stream {
                if let (event, framedAt) = event {
                    let waiting = queued.count.subtract(1, ordering: .relaxed).newValue
                    await server.receive(event, framedAt: framedAt, moreQueued: waiting > 0)
                } else {
                    await server.inputEnded()
                }
            }
        }
        dispatchMain()
    }
}
