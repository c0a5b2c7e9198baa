import Foundation

/// Byte counts as `kiln cache` reads and prints them.
enum SizeText {
    /// "1048576", "512K", "100M", "2G", "2GiB", "1.5G": binary units, case-insensitive.
    static func parse(_ text: String) -> UInt64? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            break
        }
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var unit = 1.0
        if let last = digits.last, let u = units[last] {
            unit = u
            digits = digits.dropLast()
        }
        if unit == 1 { return UInt64(digits) }
        guard let value = Double(digits), value >= 0, value * unit < 0x1p64 else { return nil }
        return UInt64(value * unit)
    }

    /// "812 B", "3.4 KiB", "1.0 GiB".
    static func format(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        return index == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[index])
    }
}
