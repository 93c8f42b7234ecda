import Foundation

/// What a finished child process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdoutData: Data
    public var stderr: String

    /// Standard output as text.
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }

    public init(status: Int32, stdoutData: Data, stderr: String) {
        self.status = status
        self.stdoutData = stdoutData
        self.stderr = stderr
    }
}

/// Runs programs for the tests (the `winnow` binary, Python reference scripts, Debian tools). Shared by
/// the test targets; the product does not use it.
public enum ProcessRunner {
    /// Runs `executable` to completion with `stdin`, capturing standard output and error. Both pipes
    /// are drained at once, so a chatty child cannot block on a full pipe.
    public static func run(_ executable: String, _ arguments: [String], cwd: String? = nil,
                           stdin: Data = Data()) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        let errThread = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errThread.isFinished { Thread.sleep(forTimeInterval: 0.005) }
        return ProcessOutput(status: process.terminationStatus, stdoutData: outData,
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `python3 -c script arguments...` and returns its standard output; throws with its standard
    /// error when it fails.
    public static func python(_ script: String, _ arguments: [String] = [], stdin: Data = Data()) throws -> String {
        let result = try run("/usr/bin/env", ["python3", "-c", script] + arguments, stdin: stdin)
        guard result.status == 0 else { throw ProcessFailure("python failed: \(result.stderr)") }
        return result.stdout
    }

    /// Runs `/usr/bin/env arguments...` and returns its exit status; its standard error goes to `stderrPath` when
    /// given (for reference scripts whose messages a failing test shows).
    @discardableResult
    public static func status(_ arguments: [String], stderrPath: String? = nil) throws -> Int32 {
        let result = try run("/usr/bin/env", arguments)
        if let stderrPath { try result.stderr.write(toFile: stderrPath, atomically: true, encoding: .utf8) }
        return result.status
    }
}

/// Runs a program to completion, capturing its output (`ProcessRunner.run`).
@discardableResult
public func run(_ executable: String, _ arguments: [String], cwd: String? = nil, stdin: Data = Data()) throws -> ProcessOutput {
    try ProcessRunner.run(executable, arguments, cwd: cwd, stdin: stdin)
}

/// Runs a program and returns its standard output; throws with its standard error when it fails.
@discardableResult
public func runChecked(_ executable: String, _ arguments: [String], cwd: String? = nil) throws -> Data {
    let r = try ProcessRunner.run(executable, arguments, cwd: cwd)
    guard r.status == 0 else { throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.stderr)") }
    return r.stdoutData
}

/// Runs a Python script (`python3 -c`) with arguments and returns its standard output; throws if it fails.
@discardableResult
public func python(_ script: String, _ arguments: [String] = [], stdin: Data = Data()) throws -> String {
    try ProcessRunner.python(script, arguments, stdin: stdin)
}

/// A child process that failed, with what it said.
public struct ProcessFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
