import CFuzzer
import Foundation

/// The target `WINNOW_FUZZ_TARGET` names, chosen once before libFuzzer starts.
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// libFuzzer calls this with each input.
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget!.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@main
enum WinnowFuzz {
    static func main() {
        let name = ProcessInfo.processInfo.environment["WINNOW_FUZZ_TARGET"] ?? ""
        guard let target = allTargets.first(where: { $0.name == name }) else {
            var message = "winnow-fuzz: set WINNOW_FUZZ_TARGET to one of:\n"
            for target in allTargets { message += "  \(target.name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(target.summary)\n" }
            FileHandle.standardError.write(Data(message.utf8))
            exit(2)
        }
        selectedTarget = target
        atexit { ScratchFile.remove() }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) })
    }
}
