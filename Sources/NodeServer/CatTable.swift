/// The plain-text tables of the `_cat` APIs: one line per row, every column padded to its widest
/// cell and separated by one space, numbers right-aligned, a header line with `?v`.
struct CatTable {
    let columns: [String]
    let rightAligned: Set<String>

    func render(_ rows: [[String]], headers: Bool) -> String {
        let lines = (headers ? [columns] : []) + rows
        let widths = columns.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for line in lines {
            for (column, cell) in line.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                text += rightAligned.contains(columns[column]) ? padding + cell : cell + padding
                if column < line.count - 1 { text += " " }
            }
            text += "\n"
        }
        return text
    }
}
