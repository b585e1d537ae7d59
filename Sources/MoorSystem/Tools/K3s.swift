import Foundation
import MoorCore

/// Commands on a k3s host, as values. Everything that reads or writes k3s's files goes
/// through `sudo -n` (k3s.yaml is 0600 root, registries.yaml root's): a sudo that would ask
/// for a password fails at once instead of hanging.
public enum K3s {
    /// One command for the whole observation: the version, the unit's state, and every
    /// file moor compares, each under a header that says whether it is a symlink (and to
    /// where) and whether it can be written. The script is constant; the paths (globs the
    /// host expands) are its arguments; the script goes on stdin, never on a command line.
    public static func observe() -> Command {
        Command("sudo", ["-n", "sh", "-s", "--"] + K3sPaths.observed, stdin: Array(observeScript.utf8), timeout: .seconds(60))
    }

    /// Every certificate in `directory`, each under `head`'s `==> FILE <==` header; the
    /// constant script goes on stdin, the directory is its argument.
    public static func readCertificates(in directory: String) -> Command {
        Command("sudo", ["-n", "sh", "-s", "--", directory], stdin: Array(#"head -n 100000 "$1"/*.crt"#.utf8), timeout: .seconds(30))
    }

    static let observeScript = """
        printf '==> version <==\\n'; k3s --version 2>/dev/null || printf 'missing\\n'
        printf '==> active <==\\n'; systemctl is-active k3s 2>/dev/null || true
        for p in "$@"; do for f in $p; do
          [ -f "$f" ] || continue
          t=file; if [ -L "$f" ]; then t="link $(readlink -f "$f")"; fi
          [ -w "$f" ] || t="$t readonly"
          printf '==> %s %s <==\\n' "$f" "$t"; cat "$f"; printf '\\n'
        done; done
        """

    /// Replaces a file atomically with stdin (0600: k3s's files are root's).
    public static func writeFile(_ path: String, _ content: String) -> Command {
        Command("sudo", ["-n", "sh", "-c", NodeCommands.writeScript.replacingOccurrences(of: "0644", with: "0600"), "sh", path],
                stdin: Array(content.utf8), timeout: .seconds(60))
    }

    /// `systemctl VERB k3s` (start, restart) as root.
    public static func unit(_ verb: String) -> Command {
        Command("sudo", ["-n", "systemctl", verb, "k3s"], timeout: .seconds(300))
    }

    public static func isActive() -> Command {
        Command("systemctl", ["is-active", "k3s"], timeout: .seconds(30))
    }

    /// The upstream install script on stdin, as root, with its settings as environment
    /// variables (never spliced into a shell string): it installs k3s and its unit and starts it.
    public static func install(script: [UInt8], version: String) -> Command {
        Command("sudo", ["-n", "env", "INSTALL_K3S_VERSION=\(version)", "INSTALL_K3S_EXEC=server", "sh", "-s", "-"],
                stdin: script, timeout: .seconds(900))
    }

    /// The node list, through k3s's own kubectl (it reads k3s.yaml as root).
    public static func nodes() -> Command {
        Command("sudo", ["-n", "k3s", "kubectl", "get", "nodes", "-o", "json"], timeout: .seconds(60))
    }

    public static func readKubeconfig() -> Command {
        Command("sudo", ["-n", "cat", K3sPaths.kubeconfig], timeout: .seconds(30))
    }

    /// The message for a `sudo -n` that wanted a password, or nil for any other failure.
    public static func sudoProblem(_ result: CommandResult, host: String?) -> String? {
        guard let line = result.firstStderrLine, line.contains("password is required") || line.contains("a terminal is required") else { return nil }
        return "sudo on \(host ?? "this machine") wants a password (\(line)); moor runs `sudo -n` for k3s's files and unit: allow it without a password in sudoers (`visudo -f /etc/sudoers.d/moor`)"
    }
}
