import Foundation
import WinnowCore

/// What `step.json` remembers of an input file to notice that it changed: its size and modification time
/// (nanoseconds). A file replaced under the same name almost always differs in one of them.
struct InputVersion: Equatable {
    var bytes: Int64
    var modifiedNanoseconds: Int64

    init(path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            bytes = Int64(info.st_size)
            modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        } else {
            bytes = -1
            modifiedNanoseconds = -1
        }
    }

    init?(json: JSONValue) {
        guard let pair = json.arrayValue, pair.count == 2, let bytes = pair[0].intValue, let time = pair[1].intValue else { return nil }
        self.bytes = Int64(bytes)
        modifiedNanoseconds = Int64(time)
    }

    var json: JSONValue { .array([.number(JSONNumber(Int(bytes))), .number(JSONNumber(Int(modifiedNanoseconds)))]) }
}
