/// Spreadsheet column letters and cell references ("A", "AB", "C5"), as a clerk reads them on screen.
public enum CellReference {
    /// Largest column Excel allows (XFD); references beyond it are treated as malformed.
    public static let maxColumn = 16_384
    /// Largest row Excel allows.
    public static let maxRow = 1_048_576

    /// Column letters for a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA".
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let rem = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + rem)))
            n = (n - 1) / 26
        }
        var s = ""
        s.unicodeScalars.append(contentsOf: scalars.reversed())
        return s
    }

    /// 0-based column index for column letters ("a" and "A" both work); nil when not letters or out of range.
    public static func columnIndex(_ letters: some StringProtocol) -> Int? {
        var n = 0
        var count = 0
        for b in letters.utf8 {
            let upper = (b >= 97 && b <= 122) ? b - 32 : b
            guard upper >= 65 && upper <= 90 else { return nil }
            n = n * 26 + Int(upper - 64)
            count += 1
            if n > maxColumn { return nil }
        }
        return count == 0 ? nil : n - 1
    }

    /// "C5" for 0-based column 2 and 1-based row 5.
    public static func name(column: Int, row: Int) -> String {
        columnLetters(column) + String(row)
    }

    /// Splits "C5" into (0-based column 2, row 5); "$C$5" is accepted. Nil for anything else.
    public static func parse(_ reference: some StringProtocol) -> (column: Int, row: Int)? {
        var letters = 0
        var column = 0
        var row = 0
        var digits = 0
        for b in reference.utf8 {
            if b == 36 { continue } // "$"
            let upper = (b >= 97 && b <= 122) ? b - 32 : b
            if upper >= 65 && upper <= 90 {
                guard digits == 0 else { return nil }
                column = column * 26 + Int(upper - 64)
                letters += 1
                if column > maxColumn { return nil }
            } else if b >= 48 && b <= 57 {
                row = row * 10 + Int(b - 48)
                digits += 1
                if row > maxRow { return nil }
            } else {
                return nil
            }
        }
        guard letters > 0, digits > 0, row >= 1 else { return nil }
        return (column - 1, row)
    }
}
