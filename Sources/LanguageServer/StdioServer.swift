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
        let (stream, continuation) = AsyncStream.makeStream(of: MessageFramer.Event?.self, bufferingPolicy: .unbounded)
        // One reader, on a thread of its own: blocking reads never hold up the server's actor.
        let reader = Thread {
            InputReader.run(fd: 0, limits: limits) { continuation.yield($0) }
            continuation.yield(nil)
            continuation.finish()
        }
        reader.stackSize = 1 << 20
        reader.start()
        Task {
            for await event in stream {
                if let event {
                    await server.receive(event)
                } else {
                    await server.inputEnded()
                }
            }
        }
        dispatchMain()
    }
}
