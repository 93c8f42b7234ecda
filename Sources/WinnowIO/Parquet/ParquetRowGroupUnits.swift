/// One large Parquet file as several tasks: the unit `path#row_groups=A-B` names row groups A..<B of the
/// file at `path`. A step's input list holds such units in place of the file when `row_groups_per_task`
/// is set, and tasks are dealt units the way they are dealt files; the Parquet reader reads only the
/// named row groups, with the file's own path in ids, provenance and problems.
public enum ParquetRowGroupUnits {
    static let marker = "#row_groups="

    /// Each Parquet file of `paths` (by name or magic) split into units of `perTask` row groups, in
    /// order; other paths, and files whose footer cannot be read (their reader reports them), stay whole.
    public static func expand(_ paths: [String], perTask: Int) -> [String] {
        guard perTask > 0 else { return paths }
        var units: [String] = []
        for path in paths {
            guard (try? InputFormat.auto.resolve(path: path)) == .parquet,
                  let count = try? ParquetReader.rowGroupCount(file: path), count > perTask else {
                units.append(path)
                continue
            }
            for start in stride(from: 0, to: count, by: perTask) {
                units.append("\(path)\(marker)\(start)-\(min(start + perTask, count))")
            }
        }
        return units
    }

    /// The file and row-group range a unit names; `(unit, nil)` for a plain path.
    public static func parse(_ unit: String) -> (path: String, rowGroups: Range<Int>?) {
        guard let r = unit.ranges(of: marker).last else { return (unit, nil) }
        let bounds = unit[r.upperBound...].split(separator: "-")
        guard bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a >= 0, a <= b else { return (unit, nil) }
        return (String(unit[..<r.lowerBound]), a..<b)
    }
}
