import MoorCore

/// Loading a lab file's text as `moor.yaml`, and its problems as positioned lines.
protocol LabTextLoading {}

extension LabTextLoading {
    func load(_ text: String) -> Result<LabFile, LabFileError> { LabLoader.load(text: text, file: "moor.yaml") }

    func problems(_ text: String) -> [String] {
        guard case .failure(let error) = load(text) else { return [] }
        return error.lines
    }
}
