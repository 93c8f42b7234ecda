import ArgumentParser
import Foundation
import WinnowCore

/// Runs a command's work: argument errors keep ArgumentParser's handling (the subcommand's usage); any other
/// error is printed as `error: ...` in plain words (file-system errors name the path and what failed) and
/// the command exits with status 2.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw error
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(plainDescription(of: error))\n".utf8))
        throw ExitCode(2)
    }
}
