/// Reads `backups:`.
extension LabDecoder {
    static func backups(_ node: NodeReader) -> BackupsSpec? {
        var spec = BackupsSpec()
        if node.isNull { return spec }
        guard let map = node.mapping(keys: LabKeys.backups) else { return nil }
        if let scheduleNode = map["schedule"], let text = scheduleNode.string() {
            if let schedule = BackupSchedule.parse(text.trimmingSpaces) { spec.schedule = schedule } else {
                scheduleNode.error("`\(scheduleNode.path)` must be `daily HH:MM` such as `daily 02:30`, or an interval of at least 1m such as `6h`, found `\(text)`")
            }
        }
        if let keep = map["keep"]?.mapping(keys: LabKeys.backupKeep) {
            spec.keep.daily = keep["daily"]?.int(min: 0) ?? spec.keep.daily
            spec.keep.weekly = keep["weekly"]?.int(min: 0) ?? spec.keep.weekly
            spec.keep.monthly = keep["monthly"]?.int(min: 0) ?? spec.keep.monthly
            if spec.keep.daily + spec.keep.weekly + spec.keep.monthly == 0, let node = map["keep"] {
                node.error("`\(node.path)` keeps no backup at all; keep at least one (`daily: 1`)")
            }
        }
        if let pathNode = map["path"], let path = pathNode.string() {
            if path.hasPrefix("/") || path.hasPrefix("~/") { spec.path = path } else {
                pathNode.error("`\(pathNode.path)` must be an absolute path (or start with ~/), found `\(path)`")
            }
        }
        if let volumesNode = map["volumes"] {
            if case .scalar(let scalar) = volumesNode.node {
                if scalar.string != "all" { volumesNode.error("`\(volumesNode.path)` must be `all` or a list of namespace/claim, found `\(scalar.string)`") }
            } else if let entries = volumesNode.list() {
                var claims: [ClaimName] = []
                for entry in entries {
                    guard let text = entry.string() else { continue }
                    if let claim = ClaimName(text) {
                        if claims.contains(claim) { entry.error("`\(text)` is listed twice in `\(volumesNode.path)`") }
                        claims.append(claim)
                    } else {
                        entry.error("`\(entry.path)` must be a claim as namespace/name such as `media/jellyfin-config`, found `\(text)`")
                    }
                }
                spec.volumes = .claims(claims)
            }
        }
        return spec
    }
}
