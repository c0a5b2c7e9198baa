import ArgumentParser
import enum KilnFrontend.Feature

/// The proposals as the help text lists them, and their lookup by CLI name.
enum FeatureFlagHelp {
    static var table: String {
        let width = Feature.allCases.map(\.cliName.count).max() ?? 0
        let rows = Feature.allCases.map { feature in
            let state = feature.isOnByDefault ? "on" : feature.isSupported ? "off" : "not supported yet"
            return feature.cliName.padding(toLength: width + 2, withPad: " ", startingAt: 0) + state
        }
        return "Proposals and their default state:\n" + rows.joined(separator: "\n")
    }

    static func feature(named name: String) throws -> Feature {
        guard let feature = Feature(cliName: name) else {
            throw ValidationError("unknown feature '\(name)'; known: \(Feature.allCases.map(\.cliName).joined(separator: ", "))")
        }
        return feature
    }
}
