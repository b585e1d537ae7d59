import Foundation

/// `op read [--no-newline] op://vault/item/field`, answering from the world's items with
/// the 1Password CLI's error shape for unknown ones.
struct OpStandIn {
    let store: WorldStore

    func run(_ arguments: [String]) -> Outcome {
        guard arguments.first == "read", let reference = arguments.dropFirst().last(where: { !$0.hasPrefix("-") }) else {
            return Outcome(1, stderr: "[ERROR] the op stand-in only answers `op read REFERENCE`\n")
        }
        guard let value = store.load().opItems[reference] else {
            let parts = reference.dropFirst("op://".count).split(separator: "/")
            let item = parts.count > 1 ? String(parts[1]) : reference
            let vault = parts.first.map(String.init) ?? ""
            return Outcome(1, stderr: "[ERROR] 2026/11/28 12:00:00 could not read secret '\(reference)': \"\(item)\" isn't an item in the \"\(vault)\" vault. Specify the item with its UUID, name, or domain.\n")
        }
        return Outcome(stdout: arguments.contains("--no-newline") || arguments.contains("-n") ? value : value + "\n")
    }
}
