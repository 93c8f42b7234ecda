import Foundation
import Testing
import WinnowTestSupport

/// Every file below `directory` (relative path -> contents), for comparing two runs byte for byte.
func treeContents(_ directory: String, excluding: (String) -> Bool = { _ in false }) throws -> [String: Data] {
    var result: [String: Data] = [:]
    guard let e = FileManager.default.enumerator(atPath: directory) else { return result }
    while let relative = e.nextObject() as? String {
        if (e.fileAttributes?[.type] as? FileAttributeType) == .typeRegular, !excluding(relative) {
            result[relative] = FileManager.default.contents(atPath: directory + "/" + relative)
        }
    }
    return result
}

/// Writes `count` JSONL.zst files of random documents with Python (seeded), including one malformed
/// line and one line with invalid UTF-8 per file. Returns the file paths.
func makeCorpus(in directory: String, files: Int, documentsPerFile: Int, seed: Int = 1) throws -> [String] {
    let script = """
    import json, random, sys, zstandard
    d, files, per, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    words = ['alpha', 'beta', 'gamma', 'delta', 'été', '中文', 'ΑΒΓ', 'x"y', 'tab\\there', 'line\\nbreak', '😀']
    for f in range(files):
        lines = []
        for i in range(per):
            text = ' '.join(rng.choice(words) for _ in range(rng.randint(0, 120)))
            lines.append(json.dumps({'id': f'f{f}-{i}', 'text': text, 'url': f'https://e.x/{f}/{i}', 'n': i}, ensure_ascii=rng.random() < 0.5).encode())
            if i == per // 2:
                lines.append(b'{"id": "broken", "text": ')
                lines.append(b'{"id": "f%d-bad-utf8", "text": "caf\\xc3 \\xff ok", "url": "u"}' % f)
        data = b'\\n'.join(lines) + b'\\n'
        open(f'{d}/part-{f:03d}.jsonl.zst', 'wb').write(zstandard.ZstdCompressor(level=3).compress(data))
    """
    try python(script, [directory, String(files), String(documentsPerFile), String(seed)])
    return (0..<files).map { String(format: "%@/part-%03d.jsonl.zst", directory, $0) }
}

/// The documents of every `*.jsonl*` file below `directory`, read with Python: a sorted list of
/// `[id, text]` pairs as JSON.
func documentsWithPython(_ directory: String) throws -> String {
    try python("""
    import glob, gzip, json, sys, zstandard
    out = []
    for p in sorted(glob.glob(sys.argv[1] + '/**/*.jsonl*', recursive=True)):
        raw = open(p, 'rb').read()
        if p.endswith('.zst'): raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
        elif p.endswith('.gz'): raw = gzip.decompress(raw)
        for line in raw.decode('utf-8').splitlines():
            d = json.loads(line)
            out.append([d['id'], d['text']])
    print(json.dumps(sorted(out), ensure_ascii=False))
    """, [directory])
}

/// Runs `winnow run PIPELINE --workers 2` up to `attempts` times, each killed with SIGKILL a seeded random moment
/// (0 to `maxDelayMilliseconds`) after a task of that process started writing into one of `scratch` (task scratch directories);
/// stops early once `doneMarker` exists. Returns how many kills were shown to land inside a task.
func killRunsInsideTasks(winnow: String, pipeline: String, scratch: [String], doneMarker: String, seed: UInt64,
                         attempts: Int = 6, maxDelayMilliseconds: UInt64 = 200) throws -> Int {
    var generator = SplitMix64(seed: seed)
    var landed = 0
    for _ in 0..<attempts {
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: winnow)
        process.arguments = ["run", pipeline, "--workers", "2", "--quiet"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, try PhasedStepTests.runningTasks(in: scratch, since: started).isEmpty {
            Thread.sleep(forTimeInterval: 0.001)
        }
        Thread.sleep(forTimeInterval: Double(generator.next() % maxDelayMilliseconds) / 1000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal, try !PhasedStepTests.runningTasks(in: scratch, since: started).isEmpty {
            landed += 1
        }
        if FileManager.default.fileExists(atPath: doneMarker) { break }
    }
    return landed
}
