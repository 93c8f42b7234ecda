import WinnowCore

extension InputFormat {
    /// Reads every document of `files`, in order, each file with the reader of its (resolved) format.
    /// Problems go to `problem` as with a single reader.
    public func readDocuments(
        files: [String],
        options: ReaderOptions,
        stats: inout StageStats,
        problem: (InputProblem) throws -> Void,
        emit: (Document) throws -> Void
    ) throws {
        for file in files {
            try resolve(path: file).reader(options: options).read(file: file, stats: &stats, problem: problem, emit: emit)
        }
    }
}
