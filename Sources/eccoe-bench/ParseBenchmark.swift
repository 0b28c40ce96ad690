import CredentialCorpus
import Foundation
import JSONSyntax

#if canImport(Glibc)
    import Glibc
#endif

/// `eccoe-bench parse`: throughput of building the full lossless tree against Foundation's
/// JSONSerialization on the same inputs, and the tree's memory against the document's size.
enum ParseBenchmark {
    static func run(arguments: [String]) {
        let quick = arguments.contains("--quick")
        var bigCorpus = CredentialCorpus(seed: 7)
        let big = bigCorpus.withLarge(approximateBytes: 20 << 20)
        // Memory first, in a fresh process: the tree's pages are new, so resident growth is its size.
        do {
            let before = heapInUse()
            let tree = SyntaxTree(parsing: big)
            let after = heapInUse()
            let heap = after - before
            let ratio = Double(heap + big.count) / Double(big.count)
            print(
                "memory, \(mb(big.count)) MB document: the tree adds \(mb(heap)) MB resident (\(tree.nodeCount) nodes, line table, "
                    + "diagnostics); with the text it holds: \(String(format: "%.2f", ratio))× the document (target: at most 4×)")
            print(
                "  (allocated storage by capacity, text included: \(mb(tree.storageBytes)) MB, "
                    + "\(String(format: "%.2f", Double(tree.storageBytes) / Double(big.count)))×)")
            withExtendedLifetime(tree) {}
        }
        var corpus = CredentialCorpus(seed: 42)
        // Sizes from 1 KB to 500 KB, spread log-uniformly; about 40 MB in all (8 MB with --quick).
        let sizes = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000]
        var documents: [[UInt8]] = []
        var total = 0
        while total < (quick ? 8 : 40) << 20 {
            let d = corpus.credential(approximateBytes: sizes[documents.count % sizes.count])
            total += d.count
            documents.append(d)
        }
        print(
            "corpus: \(documents.count) credential-like documents, \(mb(total)) MB (1 KB–500 KB each); large document: \(mb(big.count)) MB"
        )
        print("")
        print("throughput, best of \(quick ? 2 : 5) runs after a warm-up (target: at least 4× JSONSerialization):")
        print(pad("input", 18) + pad("parser", 22) + pad("MB/s", 10) + "ratio")

        if arguments.contains("--profile-ours") {
            for _ in 0..<20 { for d in documents { _ = SyntaxTree(parsing: d).nodeCount } }
            return
        }
        for (name, docs) in [("corpus", documents), ("20 MB document", [big])] {
            let bytes = docs.reduce(0) { $0 + $1.count }
            let datas: [Data] = docs.map { Data($0) }
            let ours = throughput(bytes: bytes, rounds: quick ? 2 : 5) {
                var nodes = 0
                for d in docs { nodes &+= SyntaxTree(parsing: d).nodeCount }
                return nodes
            }
            let foundation = throughput(bytes: bytes, rounds: quick ? 2 : 5) {
                var n = 0
                for d in datas {
                    if let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any] { n &+= o.count }
                }
                return n
            }
            print(
                pad(name, 18) + pad("ECCOE SyntaxTree", 22) + pad(String(format: "%.0f", ours), 10)
                    + String(format: "%.2f× JSONSerialization", ours / foundation))
            print(pad("", 18) + pad("JSONSerialization", 22) + pad(String(format: "%.0f", foundation), 10) + "1.00×")
        }

    }

    /// Best MB/s over `rounds` runs (after one warm-up).
    static func throughput(bytes: Int, rounds: Int, _ body: () -> Int) -> Double {
        var sink = body()
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            sink &+= body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
        }
        if sink == 42 { print("") }
        return Double(bytes) / 1e6 / best
    }

    /// Resident memory of this process, from /proc (Linux); 0 where unavailable.
    static func heapInUse() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kb * 1024
    }

    static func mb(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

extension CredentialCorpus {
    /// One large document: a JSON array of credentials adding up to about `approximateBytes`.
    mutating func withLarge(approximateBytes: Int, partBytes: Int = 200_000) -> [UInt8] {
        var out: [UInt8] = Array("[\n".utf8)
        var first = true
        while out.count < approximateBytes {
            if !first { out.append(contentsOf: Array(",\n".utf8)) }
            first = false
            out.append(contentsOf: credential(approximateBytes: partBytes))
        }
        out.append(contentsOf: Array("]\n".utf8))
        return out
    }
}
