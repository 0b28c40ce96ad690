#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

exit(runMain(Array(CommandLine.arguments.dropFirst())))
