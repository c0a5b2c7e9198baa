import Foundation

/// Durations as `--timeout` takes them: "2s", "500ms", "1.5s", "2m", or a plain number of seconds.
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = text.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        if let unit = units.first(where: { number.hasSuffix($0.suffix) }) {
            number = String(number.dropLast(unit.suffix.count))
            scale = unit.seconds
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return value * scale
    }
}
