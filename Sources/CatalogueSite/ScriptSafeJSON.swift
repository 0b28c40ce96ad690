/// A JSON document made safe to embed in `<script type="application/ld+json">`: the document's own
/// tokens (strings and numbers exactly as written, so the embedded data equals the published file, large
/// numbers included), white space between tokens and a byte-order mark dropped, and `<`, `>` and `&` as
/// `\u003c`, `\u003e`, `\u0026`. In valid JSON these characters occur only inside strings, where the escape
/// means the same character, so neither `</script>` nor `<!--` can appear in the output.
///
/// The input must be JSON without syntax errors (the catalogue publishes no other); its bytes are not
/// checked again here.
enum ScriptSafeJSON {
    static func compact(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { input in
            var i = 0
            let n = input.count
            if n >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { i = 3 }
            while i < n {
                let b = input[i]
                switch b {
                case 0x20, 0x09, 0x0A, 0x0D:
                    i += 1
                case UInt8(ascii: "\""):
                    // A string: copied in runs up to the closing quote, `<`, `>` and `&` escaped.
                    out.append(b)
                    i += 1
                    var run = i
                    while i < n {
                        let c = input[i]
                        if c == UInt8(ascii: "\\") {
                            i += 2
                            continue
                        }
                        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "&") {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<i]))
                            if c == UInt8(ascii: "\"") {
                                out.append(c)
                                i += 1
                                run = i
                                break
                            }
                            appendEscape(c, to: &out)
                            i += 1
                            run = i
                            continue
                        }
                        i += 1
                    }
                    if run < min(i, n) { out.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<min(i, n)])) }
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                    appendEscape(b, to: &out)  // not valid JSON outside a string; kept inert all the same
                    i += 1
                default:
                    out.append(b)
                    i += 1
                }
            }
        }
        return out
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [
            UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)],
        ])
    }
}
