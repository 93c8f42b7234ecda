import Foundation
import Testing
import WinnowCore
import WinnowIO

/// Inputs the `parquet` fuzz target (docs/fuzzing.md) found, kept in Fixtures/fuzz: each once trapped or
/// allocated without bound; each must now be a recorded problem naming the row group, column and page.
@Suite struct ParquetFuzzRegressionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    /// A page header claiming 1,207,959,551 values in a page of a few hundred bytes: its count sized the value
    /// buffers first (a 9.7 GB allocation; the long fuzz run's out-of-memory). A page's values are now bounded
    /// by max_record_bytes, and PLAIN values by the page's bytes, before any buffer is sized.
    @Test func pageCountBeyondItsBytesIsAProblem() throws {
        let path = Self.fixtures.appendingPathComponent("page-count-beyond-its-bytes.parquet").path
        let (_, problems, _) = try readAll(path, format: .parquet)
        #expect(!problems.isEmpty)
        #expect(problems.allSatisfy { $0.file == path && $0.reason == "corrupt_parquet_page" }, "\(problems)")
        #expect(problems.contains { $0.detail.contains("page header gives 1207959551 values") }, "\(problems.map(\.detail))")
    }
}
